package io.triggers.bootstrap.config;

import io.triggers.core.model.TriggersException;

/** Thrown when the server's configuration cannot be used; the message tells the operator why. */
public final class ConfigurationException extends TriggersException {

  public ConfigurationException(String message) {
    super(message);
  }
}

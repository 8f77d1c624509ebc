package io.triggers.adapters.postgres.embedded;

import io.triggers.core.model.TriggersException;

/**
 * Thrown when the embedded PostgreSQL's data directory or password file cannot be used; the message
 * tells the operator why and what to do.
 */
public final class DataDirectoryException extends TriggersException {

  DataDirectoryException(String message) {
    super(message);
  }
}

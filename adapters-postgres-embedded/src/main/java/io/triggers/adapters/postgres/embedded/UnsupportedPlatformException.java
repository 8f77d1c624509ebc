package io.triggers.adapters.postgres.embedded;

import io.triggers.core.model.TriggersException;

/**
 * Thrown when the server carries no embedded PostgreSQL for this machine; the message names the way
 * out, a PostgreSQL of the operator's own given as {@code TRIGGERS_DATABASE_URL}.
 */
public final class UnsupportedPlatformException extends TriggersException {

  UnsupportedPlatformException(String message) {
    super(message);
  }
}

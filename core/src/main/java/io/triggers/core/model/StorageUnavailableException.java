package io.triggers.core.model;

/** Thrown when the durable store cannot be reached; callers should answer "try again later". */
public final class StorageUnavailableException extends TriggersException {

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

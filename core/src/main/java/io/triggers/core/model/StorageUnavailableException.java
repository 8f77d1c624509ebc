package io.triggers.core.model;

/** Thrown when the durable store cannot be reached; callers should answer "try again later". */
public final class StorageUnavailableException extends TriggersException {

  /** The store could not serve; {@code cause} is the adapter's own failure. */
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

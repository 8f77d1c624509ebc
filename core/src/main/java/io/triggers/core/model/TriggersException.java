package io.triggers.core.model;

/**
 * The root of every exception Triggers throws: bugs and infrastructure failures, never outcomes.
 */
public class TriggersException extends RuntimeException {

  /** A failure described by {@code message}. */
  public TriggersException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public TriggersException(String message, Throwable cause) {
    super(message, cause);
  }
}

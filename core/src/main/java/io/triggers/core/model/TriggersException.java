package io.triggers.core.model;

/**
 * The root of every exception Triggers throws: bugs and infrastructure failures, never outcomes.
 */
public class TriggersException extends RuntimeException {

  public TriggersException(String message) {
    super(message);
  }

  public TriggersException(String message, Throwable cause) {
    super(message, cause);
  }
}

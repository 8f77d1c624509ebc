package io.triggers.core.model;

/**
 * Thrown when a value is constructed from input that breaks its rules; names the offending field.
 */
public final class InvalidValueException extends TriggersException {

  /** The field whose value was refused, as the HTTP API names it. */
  private final String field;

  /** A value of {@code field} that cannot be used, and why. */
  public InvalidValueException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** For a value refused by a store rather than by the model, keeping the store's reason. */
  public InvalidValueException(String field, String message, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /** The name of the field, as clients know it (for example {@code dedup_id}). */
  public String field() {
    return field;
  }
}

package io.triggers.core.model;

/**
 * The kind of an event, such as {@code order.created}: 1 to 255 characters, no control characters.
 */
public record EventType(String value) {

  public static final int MAX_LENGTH = 255;

  /** Checks that the type is present and not too long. */
  public EventType {
    Text.require("type", value, MAX_LENGTH);
  }

  @Override
  public String toString() {
    return value;
  }
}

package io.triggers.core.model;

/**
 * Which event types an endpoint subscribes to: one exact type such as {@code order.created}, or a
 * prefix ending in {@code .*} such as {@code order.*}, which matches every type that starts with
 * {@code order.} ({@code order.created}, {@code order.item.added}). The same length and character
 * rules as an {@link EventType}.
 */
public record EventTypeFilter(String value) {

  private static final String WILDCARD = ".*";

  /** Refuses text that is not a valid event type, or a {@code *} anywhere but after a final dot. */
  public EventTypeFilter {
    Text.require("event_types", value, EventType.MAX_LENGTH);
    String exact = value.endsWith(WILDCARD) ? value.substring(0, value.length() - 1) : value;
    if (exact.contains("*") || exact.equals(".")) {
      throw new InvalidValueException(
          "event_types",
          "event_types entries are exact types or prefixes ending in .* (such as order.*)");
    }
  }

  /** Whether events of {@code type} pass this filter. */
  public boolean matches(EventType type) {
    if (value.endsWith(WILDCARD)) {
      String prefix = value.substring(0, value.length() - 1);
      return type.value().startsWith(prefix) && type.value().length() > prefix.length();
    }
    return value.equals(type.value());
  }

  @Override
  public String toString() {
    return value;
  }
}

package io.triggers.core.model;

/** Which way the inbox is read: newest first (the default) or oldest first. */
public enum SortOrder {
  /** Newest first, the default. */
  NEWEST_FIRST,
  /** Oldest first. */
  OLDEST_FIRST;

  /** The order the HTTP API's {@code desc} or {@code asc} stands for; refuses any other text. */
  public static SortOrder parse(String text) {
    return switch (text) {
      case "desc" -> NEWEST_FIRST;
      case "asc" -> OLDEST_FIRST;
      default -> throw new InvalidValueException("order", "order must be asc or desc");
    };
  }
}

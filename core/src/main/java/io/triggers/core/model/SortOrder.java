package io.triggers.core.model;

/** Which way the inbox is read: newest first (the default) or oldest first. */
public enum SortOrder {
  NEWEST_FIRST,
  OLDEST_FIRST;

  public static SortOrder parse(String text) {
    return switch (text) {
      case "desc" -> NEWEST_FIRST;
      case "asc" -> OLDEST_FIRST;
      default -> throw new InvalidValueException("order", "order must be asc or desc");
    };
  }
}

package io.triggers.core.model;

/** Checks shared by the textual values. */
final class Text {

  private Text() {}

  static String require(String field, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      throw new InvalidValueException(field, field + " must not be empty");
    }
    if (value.length() > maxLength) {
      throw new InvalidValueException(
          field, field + " must be at most " + maxLength + " characters long");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidValueException(field, field + " must not contain control characters");
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          throw unpairedSurrogate(field);
        }
      }
    }
    return value;
  }

  /**
   * Unicode text cannot hold half of a surrogate pair: UTF-8 has no encoding for it, so PostgreSQL
   * would store it as {@code ?}, and two different values would become one.
   */
  private static InvalidValueException unpairedSurrogate(String field) {
    return new InvalidValueException(
        field, field + " must be valid Unicode text (it holds an unpaired surrogate)");
  }
}

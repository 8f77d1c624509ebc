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
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidValueException(field, field + " must not contain control characters");
      }
    }
    return value;
  }
}

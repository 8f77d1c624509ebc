package io.triggers.core.model;

/** The display name of an organization: 1 to 255 characters, no control characters. */
public record OrganizationName(String value) {

  public static final int MAX_LENGTH = 255;

  /** Checks that the name is present and not too long, and strips surrounding blanks. */
  public OrganizationName {
    Text.require("organization_name", value == null ? null : value.strip(), MAX_LENGTH);
    value = value.strip();
  }

  @Override
  public String toString() {
    return value;
  }
}

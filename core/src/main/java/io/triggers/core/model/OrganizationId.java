package io.triggers.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies an organization, the tenant that owns API keys, events and a webhook. */
public record OrganizationId(UUID value) {

  /** Checks that every component is present and valid. */
  public OrganizationId {
    Objects.requireNonNull(value, "value");
  }

  /** The organization id written in {@code text}; refuses text that is not a UUID. */
  public static OrganizationId parse(String text) {
    try {
      return new OrganizationId(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("organization_id", "organization_id is not a UUID");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}

package io.triggers.core.model;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one lease of inbox events: opaque to clients, random so that it cannot be guessed, and
 * meaningful only within the organization that took the lease.
 */
public record LeaseId(UUID value) {

  /** Checks that every component is present and valid. */
  public LeaseId {
    Objects.requireNonNull(value, "value");
  }

  /** Parses the text form a client sends back; anything else is not a lease id. */
  public static LeaseId parse(String text) {
    try {
      UUID uuid = UUID.fromString(text);
      if (!uuid.toString().equalsIgnoreCase(text)) {
        throw new IllegalArgumentException("not in canonical form");
      }
      return new LeaseId(uuid);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("lease_id", "lease_id is not a lease id");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}

package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Identifies an event: a UUIDv7, so ids sort by creation time. */
public record EventId(UUID value) implements Comparable<EventId> {

  /** Checks that the id is a UUIDv7. */
  public EventId {
    Objects.requireNonNull(value, "value");
    if (value.version() != 7) {
      throw new InvalidValueException("id", "event ids are UUIDv7");
    }
  }

  /** The event id written in {@code text}; refuses text that is not a UUIDv7. */
  public static EventId parse(String text) {
    UUID uuid;
    try {
      uuid = UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("id", "id is not a UUID");
    }
    return new EventId(uuid);
  }

  /** The millisecond timestamp carried in the id's first 48 bits. */
  public Instant timestamp() {
    return Instant.ofEpochMilli(value.getMostSignificantBits() >>> 16);
  }

  /** Orders as the unsigned 128-bit number, which for UUIDv7 is creation order. */
  @Override
  public int compareTo(EventId other) {
    int high =
        Long.compareUnsigned(value.getMostSignificantBits(), other.value.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(
            value.getLeastSignificantBits(), other.value.getLeastSignificantBits());
  }

  @Override
  public String toString() {
    return value.toString();
  }
}

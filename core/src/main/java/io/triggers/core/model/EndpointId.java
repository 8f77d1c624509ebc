package io.triggers.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies one endpoint of an organization. */
public record EndpointId(UUID value) {

  /** Refuses a missing UUID. */
  public EndpointId {
    Objects.requireNonNull(value, "value");
  }

  /** The endpoint id written as a UUID, as clients send it; refuses any other text. */
  public static EndpointId parse(String text) {
    try {
      return new EndpointId(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("endpoint_id", "endpoint_id is not a UUID");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}

package io.triggers.core.model;

import java.util.Locale;
import java.util.Set;

/**
 * Where an event stands on its way to the organization (pushed by webhook or pulled and acked), or
 * one delivery of it to one endpoint; {@code held} only the latter, while its endpoint is paused or
 * disabled.
 */
public enum DeliveryStatus {
  PENDING,
  RETRYING,
  DELIVERED,
  FAILED,
  HELD;

  /** What the inbox lists by default: everything not yet delivered. */
  public static final Set<DeliveryStatus> UNDELIVERED = Set.of(PENDING, RETRYING, FAILED, HELD);

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeliveryStatus parse(String text) {
    for (DeliveryStatus status : values()) {
      if (status.wireName().equals(text)) {
        return status;
      }
    }
    throw new InvalidValueException(
        "status", "status must be one of pending, retrying, delivered, failed, held, all");
  }
}

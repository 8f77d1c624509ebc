package io.triggers.core.model;

import java.util.Locale;
import java.util.Set;

/**
 * Where an event stands on its way to the organization (pushed by webhook or pulled and acked), or
 * one delivery of it to one endpoint; {@code held} only the latter, while its endpoint is paused or
 * disabled.
 */
public enum DeliveryStatus {
  /** Not delivered yet, and not tried without success. */
  PENDING,
  /** An attempt failed; another one is scheduled. */
  RETRYING,
  /** Delivered by webhook, or acknowledged from the inbox. */
  DELIVERED,
  /** Failed for good: no further attempt is scheduled. */
  FAILED,

  /** Kept for an endpoint that is paused or disabled: not sent, not dropped. */
  HELD;

  /** What the inbox lists by default: everything not yet delivered. */
  public static final Set<DeliveryStatus> UNDELIVERED = Set.of(PENDING, RETRYING, FAILED, HELD);

  /** The status as the HTTP API writes it: its name in lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status the HTTP API's lower-case name stands for; refuses any other text. */
  public static DeliveryStatus parse(String text) {
    for (DeliveryStatus status : values()) {
      if (status.wireName().equals(text)) {
        return status;
      }
    }
    throw new InvalidValueException(
        "status", "status must be one of pending, retrying, delivered, failed, held, dead, all");
  }
}

package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The delivery state of one event: how far pushing it to the webhook (or acking it) has come. */
public record Delivery(
    DeliveryStatus status,
    int attempts,
    Optional<Instant> lastAttemptAt,
    Optional<Instant> nextAttemptAt,
    Optional<String> lastError,
    Optional<Instant> deliveredAt) {

  public Delivery {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
  }

  /** The state of an event that was just accepted. */
  public static Delivery pending() {
    return new Delivery(
        DeliveryStatus.PENDING,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** This delivery, marked delivered at {@code at} unless it already was. */
  public Delivery acknowledged(Instant at) {
    if (status == DeliveryStatus.DELIVERED) {
      return this;
    }
    return new Delivery(
        DeliveryStatus.DELIVERED,
        attempts,
        lastAttemptAt,
        Optional.empty(),
        lastError,
        Optional.of(at));
  }

  /** This delivery, due again at {@code at}, as a fresh pending one that keeps its history. */
  public Delivery redeliverAt(Instant at) {
    return new Delivery(
        DeliveryStatus.PENDING,
        attempts,
        lastAttemptAt,
        Optional.of(at),
        lastError,
        Optional.empty());
  }
}

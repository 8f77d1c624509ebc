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

  /**
   * The state of an event that was just accepted for webhook delivery: pending, its first attempt
   * due at {@code firstAttemptAt}.
   */
  public static Delivery scheduled(Instant firstAttemptAt) {
    return new Delivery(
        DeliveryStatus.PENDING,
        0,
        Optional.empty(),
        Optional.of(firstAttemptAt),
        Optional.empty(),
        Optional.empty());
  }

  /** Whether a webhook attempt is planned: pending or retrying with a next attempt set. */
  public boolean isScheduled() {
    return (status == DeliveryStatus.PENDING || status == DeliveryStatus.RETRYING)
        && nextAttemptAt.isPresent();
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

  /**
   * This delivery, due again at {@code at}, as a fresh pending one: its attempts count from zero
   * again, so a redelivery gets the whole retry schedule, while the last attempt's time and error
   * stay visible.
   */
  public Delivery redeliverAt(Instant at) {
    return new Delivery(
        DeliveryStatus.PENDING, 0, lastAttemptAt, Optional.of(at), lastError, Optional.empty());
  }
}

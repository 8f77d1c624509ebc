package io.triggers.core.model;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery state of one event: how far pushing it to the webhook (or acking it) has come, and
 * the one owner of its state machine. Stores keep what these transitions return and nothing else:
 *
 * <pre>
 *   pending ──claim──▶ pending (claimed) ──after──▶ delivered | retrying | failed
 *   retrying ──claim──▶ retrying (claimed) ──after──▶ delivered | retrying | failed
 *   any ──acknowledged──▶ delivered          any ──redeliverAt──▶ pending (scheduled)
 *   delivered ──reopened──▶ pending (not scheduled)
 *   pending | retrying ──held──▶ held ──releasedAt──▶ pending | retrying (scheduled)
 * </pre>
 *
 * <p>A delivery to an endpoint that is paused or disabled is {@code held}: kept, not sent, until
 * the endpoint is enabled again and releases it.
 *
 * <p>A scheduled delivery's {@code nextAttemptAt} is when its next attempt is due; once claimed, it
 * is the end of the claim's lease (which a store may keep apart), before which nobody else claims
 * it. The constructor refuses combinations no transition produces.
 */
public record Delivery(
    DeliveryStatus status,
    int attempts,
    Optional<Instant> lastAttemptAt,
    Optional<Instant> nextAttemptAt,
    Optional<String> lastError,
    Optional<Instant> deliveredAt) {

  /** The statuses from the least advanced to the most, for an event's summary. */
  private static final List<DeliveryStatus> PROGRESS =
      List.of(
          DeliveryStatus.PENDING,
          DeliveryStatus.HELD,
          DeliveryStatus.RETRYING,
          DeliveryStatus.FAILED,
          DeliveryStatus.DELIVERED);

  /** Checks that every component is present and valid. */
  public Delivery {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    require(attempts >= 0, "attempts must not be negative");
    require(attempts == 0 || lastAttemptAt.isPresent(), "an attempt made has a time");
    require(
        deliveredAt.isPresent() == (status == DeliveryStatus.DELIVERED),
        "a delivery time exactly when delivered");
    switch (status) {
      case PENDING -> require(attempts == 0, "a pending delivery has made no attempt");
      case RETRYING ->
          require(
              attempts > 0 && nextAttemptAt.isPresent() && lastError.isPresent(),
              "a retrying delivery has attempts, an error and a next attempt");
      case DELIVERED -> require(nextAttemptAt.isEmpty(), "a delivered event has no next attempt");
      case FAILED ->
          require(
              nextAttemptAt.isEmpty() && lastError.isPresent(),
              "a failed delivery has an error and no next attempt");
      case HELD -> require(nextAttemptAt.isEmpty(), "a held delivery has no next attempt");
    }
  }

  private static void require(boolean condition, String rule) {
    if (!condition) {
      throw new IllegalArgumentException(rule);
    }
  }

  /** The state of an event that was just accepted for the inbox only. */
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

  /** The state an event starts in when accepted by {@code method} at {@code createdAt}. */
  public static Delivery initial(DeliveryMethod method, Instant createdAt) {
    return switch (method) {
      case PULL -> pending();
      case PUSH -> scheduled(createdAt);
    };
  }

  /** The state of a delivery to an endpoint that is paused or disabled: held, not yet tried. */
  public static Delivery heldBack() {
    return new Delivery(
        DeliveryStatus.HELD,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * The state an event's summary shows: the least advanced of its deliveries (pending, then held,
   * retrying, failed, delivered), or {@code whenNone} if it has none. An event counts as delivered
   * only once every delivery of it is.
   */
  public static Delivery leastAdvanced(Collection<Delivery> deliveries, Delivery whenNone) {
    return deliveries.stream()
        .min(Comparator.comparingInt(delivery -> PROGRESS.indexOf(delivery.status())))
        .orElse(whenNone);
  }

  /**
   * This delivery held while its endpoint is paused or disabled: its next attempt is cancelled; a
   * finished one (delivered or failed) stays as it is.
   */
  public Delivery held() {
    if (status == DeliveryStatus.DELIVERED || status == DeliveryStatus.FAILED) {
      return this;
    }
    return new Delivery(
        DeliveryStatus.HELD,
        attempts,
        lastAttemptAt,
        Optional.empty(),
        lastError,
        Optional.empty());
  }

  /**
   * This held delivery released when its endpoint is enabled again: due at {@code at}, pending if
   * it never made an attempt, retrying otherwise. Any other delivery stays as it is.
   */
  public Delivery releasedAt(Instant at) {
    if (status != DeliveryStatus.HELD) {
      return this;
    }
    DeliveryStatus due =
        attempts == 0 || lastError.isEmpty() ? DeliveryStatus.PENDING : DeliveryStatus.RETRYING;
    int keptAttempts = due == DeliveryStatus.PENDING ? 0 : attempts;
    return new Delivery(
        due, keptAttempts, lastAttemptAt, Optional.of(at), lastError, Optional.empty());
  }

  /**
   * This delivery ended for good as failed with {@code reason} (its endpoint is gone), keeping its
   * attempts; a finished one (delivered or failed) stays as it is.
   */
  public Delivery ended(String reason) {
    if (status == DeliveryStatus.DELIVERED || status == DeliveryStatus.FAILED) {
      return this;
    }
    return new Delivery(
        DeliveryStatus.FAILED,
        attempts,
        lastAttemptAt,
        Optional.empty(),
        Optional.of(reason),
        Optional.empty());
  }

  /** Whether a webhook attempt is planned: pending or retrying with a next attempt set. */
  public boolean isScheduled() {
    return (status == DeliveryStatus.PENDING || status == DeliveryStatus.RETRYING)
        && nextAttemptAt.isPresent();
  }

  /** Whether an attempt may be claimed at {@code now}: scheduled, and its time has come. */
  public boolean isDueAt(Instant now) {
    return isScheduled() && !nextAttemptAt.get().isAfter(now);
  }

  /** This delivery claimed until {@code leaseUntil}: its next attempt moves to the lease's end. */
  public Delivery claimedUntil(Instant leaseUntil) {
    if (!isScheduled()) {
      throw new IllegalStateException("only a scheduled delivery can be claimed");
    }
    return new Delivery(
        status, attempts, lastAttemptAt, Optional.of(leaseUntil), lastError, deliveredAt);
  }

  /**
   * This claimed delivery once the attempt ended with {@code result}: a made attempt counts and
   * sets the last attempt's time; a failure sets the last error, a delivery keeps it.
   */
  public Delivery after(AttemptResult result) {
    if (!isScheduled()) {
      throw new IllegalStateException("only a claimed delivery records an attempt");
    }
    return switch (result) {
      case AttemptResult.Delivered delivered ->
          new Delivery(
              DeliveryStatus.DELIVERED,
              attempts + 1,
              Optional.of(delivered.attemptedAt()),
              Optional.empty(),
              lastError,
              Optional.of(delivered.deliveredAt()));
      case AttemptResult.Retrying retrying ->
          new Delivery(
              DeliveryStatus.RETRYING,
              attempts + 1,
              Optional.of(retrying.attemptedAt()),
              Optional.of(retrying.nextAttemptAt()),
              Optional.of(retrying.error()),
              Optional.empty());
      case AttemptResult.Failed failed ->
          new Delivery(
              DeliveryStatus.FAILED,
              attempts + 1,
              Optional.of(failed.attemptedAt()),
              Optional.empty(),
              Optional.of(failed.error()),
              Optional.empty());
      case AttemptResult.Held held ->
          new Delivery(
              DeliveryStatus.HELD,
              held.attemptedAt().isPresent() ? attempts + 1 : attempts,
              held.attemptedAt().or(() -> lastAttemptAt),
              Optional.empty(),
              Optional.of(held.reason()),
              Optional.empty());
      case AttemptResult.Abandoned abandoned ->
          new Delivery(
              DeliveryStatus.FAILED,
              attempts,
              lastAttemptAt,
              Optional.empty(),
              Optional.of(abandoned.reason()),
              Optional.empty());
    };
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

  /**
   * This delivery recovered at {@code at} if it failed: due then with a fresh schedule, as {@link
   * #redeliverAt} makes it, or {@link #held} if {@code hold}; any other stays as it is.
   */
  public Delivery recoveredAt(Instant at, boolean hold) {
    Delivery due = status == DeliveryStatus.FAILED ? redeliverAt(at) : this;
    return hold && due != this ? due.held() : due;
  }

  /**
   * This delivery back in the inbox, as a seek makes it: a delivered event becomes pending again
   * without a webhook attempt planned, so its deliveries are not repeated; its attempts count from
   * zero, while the last attempt's time and error stay visible. Any other delivery is unchanged.
   */
  public Delivery reopened() {
    if (status != DeliveryStatus.DELIVERED) {
      return this;
    }
    return new Delivery(
        DeliveryStatus.PENDING, 0, lastAttemptAt, Optional.empty(), lastError, Optional.empty());
  }
}

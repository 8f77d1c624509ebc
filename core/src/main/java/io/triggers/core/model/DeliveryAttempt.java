package io.triggers.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One logged webhook attempt of an event to one endpoint: when it was made, how it ended (the
 * status the delivery took: delivered, retrying, failed, or held after a {@code 410 Gone}), the
 * endpoint's HTTP status if it answered, the error if it failed, and how long it took.
 *
 * <p>Only attempts that count are logged ({@link #of}): those sent, and those refused by the
 * webhook target rules at sending time, which fail like a refused connection. A delivery held
 * because its endpoint is paused or disabled, or abandoned because its endpoint was deleted, made
 * no attempt and logs none.
 */
public record DeliveryAttempt(
    EndpointId endpointId,
    Instant attemptedAt,
    DeliveryStatus outcome,
    Optional<Integer> statusCode,
    Optional<String> error,
    Duration duration) {

  /**
   * Refuses missing parts and an outcome no attempt ends in (pending); keeps whole milliseconds.
   */
  public DeliveryAttempt {
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(attemptedAt, "attemptedAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(statusCode, "statusCode");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(duration, "duration");
    if (outcome == DeliveryStatus.PENDING) {
      throw new IllegalArgumentException("an attempt ends delivered, retrying, failed or held");
    }
    // Shown and stored in whole milliseconds, so every store gives back what it was given.
    duration = Duration.ofMillis(duration.toMillis());
  }

  /**
   * The attempt {@code result} logs for the delivery to {@code endpoint}; empty if none was made.
   */
  public static Optional<DeliveryAttempt> of(EndpointId endpoint, AttemptResult result) {
    return switch (result) {
      case AttemptResult.Delivered delivered ->
          Optional.of(
              logged(
                  endpoint,
                  delivered.attemptedAt(),
                  DeliveryStatus.DELIVERED,
                  Optional.empty(),
                  delivered.exchange()));
      case AttemptResult.Retrying retrying ->
          Optional.of(
              logged(
                  endpoint,
                  retrying.attemptedAt(),
                  DeliveryStatus.RETRYING,
                  Optional.of(retrying.error()),
                  retrying.exchange()));
      case AttemptResult.Failed failed ->
          Optional.of(
              logged(
                  endpoint,
                  failed.attemptedAt(),
                  DeliveryStatus.FAILED,
                  Optional.of(failed.error()),
                  failed.exchange()));
      case AttemptResult.Held held ->
          held.attemptedAt()
              .map(
                  at ->
                      logged(
                          endpoint,
                          at,
                          DeliveryStatus.HELD,
                          Optional.of(held.reason()),
                          held.exchange()));
      case AttemptResult.Abandoned abandoned -> Optional.empty();
    };
  }

  private static DeliveryAttempt logged(
      EndpointId endpoint,
      Instant at,
      DeliveryStatus outcome,
      Optional<String> error,
      Exchange exchange) {
    return new DeliveryAttempt(
        endpoint, at, outcome, exchange.statusCode(), error, exchange.duration());
  }
}

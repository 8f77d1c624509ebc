package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one claimed webhook attempt ended; {@link Delivery#after} says what each does to the
 * delivery, {@link DeliveryAttempt#of} which of them are logged. The {@code exchange} of an attempt
 * made is what the endpoint answered and how long it took; the shorter constructors are for an
 * attempt that never reached the network ({@link Exchange#none()}).
 */
public sealed interface AttemptResult {

  /** The webhook took the event: the delivery is {@code delivered}. */
  record Delivered(Instant attemptedAt, Instant deliveredAt, Exchange exchange)
      implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Delivered {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(deliveredAt, "deliveredAt");
      Objects.requireNonNull(exchange, "exchange");
    }

    /** A delivery whose exchange is not known. */
    public Delivered(Instant attemptedAt, Instant deliveredAt) {
      this(attemptedAt, deliveredAt, Exchange.none());
    }
  }

  /** The attempt failed and another is due at {@code nextAttemptAt}: {@code retrying}. */
  record Retrying(Instant attemptedAt, String error, Instant nextAttemptAt, Exchange exchange)
      implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Retrying {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
      Objects.requireNonNull(exchange, "exchange");
    }

    /** A failed attempt that never reached the network, tried again at {@code nextAttemptAt}. */
    public Retrying(Instant attemptedAt, String error, Instant nextAttemptAt) {
      this(attemptedAt, error, nextAttemptAt, Exchange.none());
    }
  }

  /** The attempt failed and no other follows: {@code failed}. */
  record Failed(Instant attemptedAt, String error, Exchange exchange) implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Failed {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(exchange, "exchange");
    }

    /** A failed attempt that never reached the network, the last one. */
    public Failed(Instant attemptedAt, String error) {
      this(attemptedAt, error, Exchange.none());
    }
  }

  /**
   * The endpoint is paused or disabled, or has just answered {@code 410 Gone} (then {@code
   * attemptedAt} is that attempt's time, and it counts, with its {@code exchange}): {@code held}
   * until the endpoint is enabled again, with {@code reason} as the last error.
   */
  record Held(Optional<Instant> attemptedAt, String reason, Exchange exchange)
      implements AttemptResult {

    /** Refuses missing parts. */
    public Held {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(exchange, "exchange");
    }

    /** A hold whose exchange, if an attempt was made, is not known. */
    public Held(Optional<Instant> attemptedAt, String reason) {
      this(attemptedAt, reason, Exchange.none());
    }
  }

  /**
   * No attempt was made and none will be (the endpoint was deleted): {@code failed}, with the
   * reason as the last error and the attempt count unchanged.
   */
  record Abandoned(String reason) implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Abandoned {
      Objects.requireNonNull(reason, "reason");
    }
  }
}

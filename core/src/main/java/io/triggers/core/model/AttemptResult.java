package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** How one claimed webhook attempt ended; {@link Delivery#after} says what each does. */
public sealed interface AttemptResult {

  /** The webhook took the event: the delivery is {@code delivered}. */
  record Delivered(Instant attemptedAt, Instant deliveredAt) implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Delivered {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(deliveredAt, "deliveredAt");
    }
  }

  /** The attempt failed and another is due at {@code nextAttemptAt}: {@code retrying}. */
  record Retrying(Instant attemptedAt, String error, Instant nextAttemptAt)
      implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Retrying {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }
  }

  /** The attempt failed and no other follows: {@code failed}. */
  record Failed(Instant attemptedAt, String error) implements AttemptResult {
    /** Checks that every component is present and valid. */
    public Failed {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The endpoint is paused or disabled, or has just answered {@code 410 Gone} (then {@code
   * attemptedAt} is that attempt's time, and it counts): {@code held} until the endpoint is enabled
   * again, with {@code reason} as the last error.
   */
  record Held(Optional<Instant> attemptedAt, String reason) implements AttemptResult {

    /** Refuses missing parts. */
    public Held {
      Objects.requireNonNull(attemptedAt, "attemptedAt");
      Objects.requireNonNull(reason, "reason");
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

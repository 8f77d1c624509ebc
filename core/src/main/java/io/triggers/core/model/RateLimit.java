package io.triggers.core.model;

import java.time.Duration;
import java.util.Objects;

/** A rate limiter's answer for one request: allowed, or denied with when to try again. */
public sealed interface RateLimit {

  /** The allowance per minute that applied. */
  int limit();

  /** How long until the allowance is whole again if nothing more is spent. */
  Duration resetAfter();

  /** The request may proceed; {@code remaining} more events fit right now. */
  record Allowed(int limit, long remaining, Duration resetAfter) implements RateLimit {
    /** Checks that every component is present and valid. */
    public Allowed {
      Objects.requireNonNull(resetAfter, "resetAfter");
    }
  }

  /** The request must wait {@code retryAfter} before the same number of events fits. */
  record Denied(int limit, Duration retryAfter, Duration resetAfter) implements RateLimit {
    /** Checks that every component is present and valid. */
    public Denied {
      Objects.requireNonNull(retryAfter, "retryAfter");
      Objects.requireNonNull(resetAfter, "resetAfter");
    }
  }
}

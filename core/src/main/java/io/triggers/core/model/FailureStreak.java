package io.triggers.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An endpoint's unbroken run of failed attempts: since when every attempt to it has failed, and how
 * many have. A successful attempt ends it; the endpoint that keeps one long enough is disabled.
 */
public record FailureStreak(Instant since, int attempts) {

  /** The fewest failed attempts that can disable an endpoint, however long they took. */
  public static final int MIN_ATTEMPTS_TO_DISABLE = 10;

  /** Refuses a missing start and a streak without an attempt. */
  public FailureStreak {
    Objects.requireNonNull(since, "since");
    if (attempts < 1) {
      throw new IllegalArgumentException("a failure streak has at least one attempt");
    }
  }

  /** The streak its first failed attempt, at {@code at}, begins. */
  public static FailureStreak startedAt(Instant at) {
    return new FailureStreak(at, 1);
  }

  /** This streak with one more failed attempt. */
  public FailureStreak plusOne() {
    return new FailureStreak(since, attempts + 1);
  }

  /**
   * Whether the endpoint should be disabled at {@code now}: every attempt has failed for at least
   * {@code disableAfter}, and there were at least {@link #MIN_ATTEMPTS_TO_DISABLE} of them, so that
   * neither a short outage with many attempts nor a few attempts spread over days disables it.
   */
  public boolean disables(Duration disableAfter, Instant now) {
    return attempts >= MIN_ATTEMPTS_TO_DISABLE && !now.isBefore(since.plus(disableAfter));
  }
}

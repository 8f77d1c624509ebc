package io.triggers.adapters.postgres.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The restart schedule of a dead embedded PostgreSQL and the verdict on the process: the first
 * attempt half a second after the death, then twice as long after each failed one, at most {@link
 * #LONGEST_WAIT}; the process stops being live once the database has been down for the liveness
 * limit, so that whatever supervises it restarts it. Thread-safe.
 */
final class PostgresOutage {

  static final Duration FIRST_WAIT = Duration.ofMillis(500);
  static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  /** How long the database may stay down before liveness fails. */
  static final Duration LIVENESS_LIMIT = Duration.ofMinutes(1);

  private final Clock clock;
  private final Duration livenessLimit;
  private Instant downSince;
  private int failedAttempts;

  PostgresOutage(Clock clock, Duration livenessLimit) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.livenessLimit = Objects.requireNonNull(livenessLimit, "livenessLimit");
    if (livenessLimit.isNegative() || livenessLimit.isZero()) {
      throw new IllegalArgumentException("livenessLimit must be positive");
    }
  }

  /**
   * Records the death, unless one is already being handled; returns the wait before the first
   * attempt.
   */
  synchronized Duration died() {
    if (downSince == null) {
      downSince = clock.instant();
      failedAttempts = 0;
    }
    return waitAfter(failedAttempts);
  }

  /** Records a failed attempt; returns the wait before the next one. */
  synchronized Duration failed() {
    failedAttempts++;
    return waitAfter(failedAttempts);
  }

  /** Records the database running again; returns how long it was down. */
  synchronized Duration restarted() {
    Duration down =
        downSince == null ? Duration.ZERO : Duration.between(downSince, clock.instant());
    downSince = null;
    failedAttempts = 0;
    return down;
  }

  Duration livenessLimit() {
    return livenessLimit;
  }

  synchronized boolean down() {
    return downSince != null;
  }

  synchronized int failedAttempts() {
    return failedAttempts;
  }

  /** False once the database has been down for the liveness limit. */
  synchronized boolean live() {
    return downSince == null
        || Duration.between(downSince, clock.instant()).compareTo(livenessLimit) < 0;
  }

  private static Duration waitAfter(int failures) {
    Duration wait = FIRST_WAIT;
    for (int i = 0; i < failures && wait.compareTo(LONGEST_WAIT) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(LONGEST_WAIT) < 0 ? wait : LONGEST_WAIT;
  }
}

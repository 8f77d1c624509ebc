package io.triggers.core.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a failed webhook attempt is tried again: after each of {@code delays} in turn, each spread
 * by up to ± {@code jitter} (a fraction) so that deliveries that failed together do not retry
 * together, and never sooner than the receiver's {@code Retry-After} asked, which counts up to
 * {@code longestRetryAfter}. After the last delay the delivery fails.
 */
public record RetrySchedule(List<Duration> delays, double jitter, Duration longestRetryAfter) {

  /** Checks that every component is present and valid. */
  public RetrySchedule {
    delays = List.copyOf(delays);
    for (Duration delay : delays) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("retry delays must be positive");
      }
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be at least 0 and less than 1");
    }
    Objects.requireNonNull(longestRetryAfter, "longestRetryAfter");
    if (longestRetryAfter.isNegative()) {
      throw new IllegalArgumentException("longestRetryAfter must not be negative");
    }
  }

  /**
   * 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h and 4 h, ± 20 %, so nine attempts over about eight
   * hours; a Retry-After counts up to the longest step, four hours.
   */
  public static RetrySchedule standard() {
    return new RetrySchedule(
        List.of(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4)),
        0.2,
        Duration.ofHours(4));
  }

  /** How many attempts a delivery gets in all: the first and one after each delay. */
  public int maxAttempts() {
    return delays.size() + 1;
  }

  /**
   * How long to wait after the {@code attempts}-th failed attempt (counting from 1), or empty if it
   * was the last. {@code random} is drawn uniformly from [0, 1) and places the delay within its
   * jitter: 0 gives the shortest, values near 1 the longest.
   */
  public Optional<Duration> delayAfter(int attempts, double random, Optional<Duration> retryAfter) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts count from 1");
    }
    if (!(random >= 0 && random < 1)) {
      throw new IllegalArgumentException("random must be at least 0 and less than 1");
    }
    if (attempts > delays.size()) {
      return Optional.empty();
    }
    double factor = 1 - jitter + 2 * jitter * random;
    Duration jittered = Duration.ofMillis(Math.round(delays.get(attempts - 1).toMillis() * factor));
    Duration asked =
        retryAfter
            .filter(wait -> !wait.isNegative())
            .map(wait -> wait.compareTo(longestRetryAfter) > 0 ? longestRetryAfter : wait)
            .orElse(Duration.ZERO);
    return Optional.of(asked.compareTo(jittered) > 0 ? asked : jittered);
  }
}

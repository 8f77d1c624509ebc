package io.triggers.core.delivery;

import java.time.Duration;

/**
 * When the {@link WebhookDispatcher} backs off from an endpoint whose attempts keep failing: after
 * {@code afterFailures} failed attempts in a row, for {@code firstCooldown}, then twice as long
 * each time it fails again once the cooldown has ended, up to {@code longestCooldown}.
 */
public record EndpointBackoff(int afterFailures, Duration firstCooldown, Duration longestCooldown) {

  /** Checks that the counts and durations are positive and in order. */
  public EndpointBackoff {
    if (afterFailures < 1) {
      throw new IllegalArgumentException("afterFailures must be at least 1");
    }
    if (firstCooldown.isNegative()
        || firstCooldown.isZero()
        || longestCooldown.compareTo(firstCooldown) < 0) {
      throw new IllegalArgumentException(
          "firstCooldown must be positive and longestCooldown at least firstCooldown");
    }
  }

  /**
   * After 3 failed attempts in a row, for 5 seconds, doubling up to a minute: an endpoint that is
   * back waits at most that long for its deliveries, and one that stays down costs a few attempts a
   * minute.
   */
  public static EndpointBackoff standard() {
    return new EndpointBackoff(3, Duration.ofSeconds(5), Duration.ofMinutes(1));
  }

  /** Never backs off: no count of failures in a row is reached. */
  public static EndpointBackoff never() {
    EndpointBackoff standard = standard();
    return new EndpointBackoff(
        Integer.MAX_VALUE, standard.firstCooldown(), standard.longestCooldown());
  }
}

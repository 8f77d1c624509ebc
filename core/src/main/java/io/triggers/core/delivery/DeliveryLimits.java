package io.triggers.core.delivery;

import java.time.Duration;
import java.util.List;

/**
 * How much the {@link WebhookDispatcher} does at once: attempts in flight per organization and in
 * all, tasks waiting per organization and in all, tasks taken from the queue at once and how long
 * to wait for them, how often to sweep, and how long to back off after the store or queue failed.
 */
public record DeliveryLimits(
    int perOrganization,
    int overall,
    int backlogPerOrganization,
    int backlog,
    int takeBatch,
    Duration takeWait,
    Duration sweepInterval,
    Duration failurePause) {

  /** Checks that the limits are positive and consistent with each other. */
  public DeliveryLimits {
    if (perOrganization < 1 || overall < perOrganization) {
      throw new IllegalArgumentException(
          "perOrganization must be at least 1 and overall at least perOrganization");
    }
    if (backlogPerOrganization < 1 || backlog < backlogPerOrganization) {
      throw new IllegalArgumentException(
          "backlogPerOrganization must be at least 1 and backlog at least that");
    }
    if (takeBatch < 1) {
      throw new IllegalArgumentException("takeBatch must be at least 1");
    }
    for (Duration duration : List.of(takeWait, sweepInterval, failurePause)) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("waits and intervals must be positive");
      }
    }
  }

  /**
   * Four attempts per organization and 512 in all; 1,000 tasks waiting per organization and 20,000
   * in all; take up to 256 tasks at once, waiting up to a second; sweep every two seconds; back off
   * a second after a failure.
   */
  public static DeliveryLimits standard() {
    return new DeliveryLimits(
        4,
        512,
        1_000,
        20_000,
        256,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1));
  }
}

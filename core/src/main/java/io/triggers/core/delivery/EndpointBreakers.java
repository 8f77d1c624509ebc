package io.triggers.core.delivery;

import io.triggers.core.model.EndpointId;
import io.triggers.core.port.in.DeliverWebhook;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Backs off from an endpoint whose attempts keep failing, as {@link EndpointBackoff} says: after
 * some failed attempts in a row it is <i>open</i> for a cooldown, during which this node makes no
 * attempt to it; each failure once a cooldown has ended opens it again for twice as long. One
 * delivered attempt closes it and forgets its failures. Failures of attempts that end while it is
 * open do not count.
 *
 * <p>Its deliveries are not touched: they stay scheduled in the store, and are attempted once the
 * cooldown has ended, in their turn. So an endpoint that times out costs its node a few attempts
 * per cooldown rather than four attempts in flight for as long as it has deliveries due, and its
 * deliveries no longer fill the lanes that every other endpoint's deliveries wait in.
 *
 * <p>Holds no thread or lock: not thread-safe, its owner calls it under one lock.
 */
final class EndpointBreakers {

  private static final System.Logger LOG = System.getLogger(EndpointBreakers.class.getName());

  /** Beyond this many endpoints remembered, those not open are forgotten. */
  private static final int REMEMBERED = 10_000;

  private final int failuresToOpen;
  private final Duration firstCooldown;
  private final Duration longestCooldown;
  private final Clock clock;
  private final Map<EndpointId, Breaker> breakers = new HashMap<>();

  EndpointBreakers(EndpointBackoff backoff, Clock clock) {
    this.failuresToOpen = backoff.afterFailures();
    this.firstCooldown = backoff.firstCooldown();
    this.longestCooldown = backoff.longestCooldown();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records how an attempt to the endpoint ended, if it had an outcome: delivered closes the
   * endpoint, failed counts; returns when its cooldown ends if this failure opened it, else empty.
   */
  Optional<Instant> record(EndpointId endpoint, Optional<DeliverWebhook.Outcome> outcome) {
    return switch (outcome.orElse(null)) {
      case DeliverWebhook.Outcome.Delivered delivered -> {
        breakers.remove(endpoint);
        yield Optional.empty();
      }
      case DeliverWebhook.Outcome.Retrying retrying -> failed(endpoint);
      case DeliverWebhook.Outcome.Failed failed -> failed(endpoint);
      case null, default -> Optional.empty();
    };
  }

  private Optional<Instant> failed(EndpointId endpoint) {
    Instant now = clock.instant();
    Breaker breaker = breakers.get(endpoint);
    if (breaker == null) {
      forgetClosedIfMany();
      breaker = new Breaker();
      breakers.put(endpoint, breaker);
    }
    if (now.isBefore(breaker.openUntil)) {
      return Optional.empty();
    }
    if (++breaker.failures < failuresToOpen) {
      return Optional.empty();
    }
    Duration cooldown = cooldown(breaker.opened++);
    breaker.openUntil = now.plus(cooldown);
    LOG.log(
        Level.INFO,
        "Backing off from endpoint {0} for {1} s: {2} attempts in a row failed",
        endpoint,
        cooldown.toSeconds(),
        breaker.failures);
    return Optional.of(breaker.openUntil);
  }

  /** Whether the endpoint's cooldown is running now. */
  boolean isOpen(EndpointId endpoint) {
    Breaker breaker = breakers.get(endpoint);
    return breaker != null && clock.instant().isBefore(breaker.openUntil);
  }

  /** How many endpoints are open now. */
  int openCount() {
    Instant now = clock.instant();
    return (int) breakers.values().stream().filter(b -> now.isBefore(b.openUntil)).count();
  }

  /** The cooldown after {@code opened} earlier ones in a row: doubling, up to the longest. */
  private Duration cooldown(int opened) {
    Duration cooldown = firstCooldown;
    for (int i = 0; i < opened && cooldown.compareTo(longestCooldown) < 0; i++) {
      cooldown = cooldown.multipliedBy(2);
    }
    return cooldown.compareTo(longestCooldown) < 0 ? cooldown : longestCooldown;
  }

  private void forgetClosedIfMany() {
    if (breakers.size() >= REMEMBERED) {
      Instant now = clock.instant();
      breakers.values().removeIf(b -> !now.isBefore(b.openUntil));
    }
  }

  /** One endpoint's failures in a row, how often it opened since it last delivered, and until. */
  private static final class Breaker {
    int failures;
    int opened;
    Instant openUntil = Instant.MIN;
  }
}

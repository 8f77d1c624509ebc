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
 * attempt to it. Once the cooldown has ended it is <i>probing</i>: the next attempts tell. One
 * failure opens it again for twice as long; one delivered attempt closes it and forgets its
 * failures. Failures of attempts that end while it is open do not count.
 *
 * <p>Each change comes with the time until which the queue should hold the endpoint's tasks back:
 * to the end of a cooldown when it opens; for the longest cooldown when a probe starts, so that new
 * events wait in the store rather than pile up behind the probe; and none (now) when it closes
 * after it had opened, or when a probe told nothing and gives way to the next. Its deliveries are
 * never touched: they stay scheduled in the store and are attempted once it closes, in their turn.
 * So an endpoint that times out costs its node a few attempts per cooldown, and nothing per event,
 * and its deliveries no longer fill the lanes that every other endpoint's deliveries wait in.
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
   * endpoint, failed counts. Returns until when the queue should now hold its tasks back: the end
   * of the cooldown if this failure opened it, now if this delivery closed it after it had opened
   * or this attempt was a probe that told nothing, else empty (no change).
   */
  Optional<Instant> record(EndpointId endpoint, Optional<DeliverWebhook.Outcome> outcome) {
    return switch (outcome.orElse(null)) {
      case DeliverWebhook.Outcome.Delivered delivered -> {
        Breaker closed = breakers.remove(endpoint);
        yield closed != null && closed.opened > 0 ? Optional.of(clock.instant()) : Optional.empty();
      }
      case DeliverWebhook.Outcome.Retrying retrying -> failed(endpoint);
      case DeliverWebhook.Outcome.Failed failed -> failed(endpoint);
      case null, default -> undecided(endpoint);
    };
  }

  /**
   * An attempt told nothing of the endpoint (nothing was due, it is paused, or the attempt never
   * ended): a probe it was gives way, ending its hold, so that the next task starts another.
   */
  private Optional<Instant> undecided(EndpointId endpoint) {
    Breaker breaker = breakers.get(endpoint);
    if (breaker == null || !breaker.probing) {
      return Optional.empty();
    }
    breaker.probing = false;
    return Optional.of(clock.instant());
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
    breaker.probing = false;
    LOG.log(
        Level.INFO,
        "Backing off from endpoint {0} for {1} s: {2} attempts in a row failed",
        endpoint,
        cooldown.toSeconds(),
        breaker.failures);
    return Optional.of(breaker.openUntil);
  }

  /**
   * A task of the endpoint is about to be attempted: if its cooldown has ended and no probe has
   * started since, this starts one and returns until when the queue should hold its tasks back
   * meanwhile, the longest cooldown from now; else empty.
   */
  Optional<Instant> probing(EndpointId endpoint) {
    Breaker breaker = breakers.get(endpoint);
    if (breaker == null || breaker.opened == 0 || breaker.probing || isOpen(endpoint)) {
      return Optional.empty();
    }
    breaker.probing = true;
    return Optional.of(clock.instant().plus(longestCooldown));
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

  /**
   * One endpoint's failures in a row, how often it opened since it last delivered, until when, and
   * whether a probe started since its last cooldown ended.
   */
  private static final class Breaker {
    int failures;
    int opened;
    Instant openUntil = Instant.MIN;
    boolean probing;
  }
}

package io.triggers.adapters.redis;

import io.triggers.core.model.EndpointId;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The holds on endpoints' tasks that this node knows of, so that {@link TaskEnqueuing} sends no run
 * of {@code enqueue.lua} only to have it hold the tasks back: while an endpoint is down, every
 * event to it would otherwise pay a round trip to Redis.
 *
 * <p>This node's own holds are known until they end or it ends them. A hold that a run of the
 * script reported (another node's) is trusted for {@link #RECHECK} at most, since that node may end
 * it early: the next run after that asks Redis again. Thread-safe.
 */
final class KnownHolds {

  /** How long a hold that a run reported is trusted without asking Redis again. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  /** Beyond this many endpoints, the holds that have ended are forgotten. */
  private static final int REMEMBERED = 10_000;

  private final Clock clock;
  private final Map<EndpointId, Instant> holds = new ConcurrentHashMap<>();

  KnownHolds(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** This node holds the endpoint's tasks back until {@code until}, or no more if that is past. */
  void own(EndpointId endpoint, Instant until) {
    if (until.isAfter(clock.instant())) {
      forgetEndedIfMany();
      holds.put(endpoint, until);
    } else {
      holds.remove(endpoint);
    }
  }

  /** A run of the script found the endpoint held back until {@code until}. */
  void reported(EndpointId endpoint, Instant until) {
    Instant trusted = min(until, clock.instant().plus(RECHECK));
    forgetEndedIfMany();
    holds.merge(endpoint, trusted, (known, reported) -> known.isAfter(reported) ? known : reported);
  }

  /** Whether a known hold covers the task, which falls due before it ends. */
  boolean holds(DeliveryTask task, Instant now) {
    Instant until = holds.get(task.endpointId());
    if (until == null) {
      return false;
    }
    if (!until.isAfter(now)) {
      holds.remove(task.endpointId(), until);
      return false;
    }
    return task.dueAt().isBefore(until);
  }

  private void forgetEndedIfMany() {
    if (holds.size() >= REMEMBERED) {
      Instant now = clock.instant();
      holds.values().removeIf(until -> !until.isAfter(now));
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

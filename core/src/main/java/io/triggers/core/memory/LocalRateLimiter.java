package io.triggers.core.memory;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GCRA rate limiter whose state lives in this process, so each node counts on its own.
 *
 * <p>Each organization has a theoretical arrival time (TAT): the moment its allowance would be
 * whole again. A request for {@code n} events pushes the TAT {@code n} emission intervals (a minute
 * divided by the tier's allowance) later, and fits if the new TAT is at most a minute ahead. A
 * request for more events than a whole minute's allowance can never fit; it is denied with a retry
 * after one whole minute. Organizations whose allowance is whole are forgotten, which changes
 * nothing since a fresh organization starts whole.
 */
public final class LocalRateLimiter implements RateLimiter {

  private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Clock clock;
  private final ConcurrentMap<OrganizationId, Allowance> allowances = new ConcurrentHashMap<>();
  private final AtomicLong nextSweepNanos = new AtomicLong(Long.MIN_VALUE);

  /** A limiter whose buckets refill by {@code clock}. */
  public LocalRateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public RateLimit acquire(OrganizationId organization, Tier tier, int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    long now = nanos(clock.instant());
    int limit = tier.eventsPerMinute();
    long interval = WINDOW_NANOS / limit;
    RateLimit[] decision = new RateLimit[1];
    allowances.compute(
        organization,
        (id, allowance) -> {
          long tat = allowance == null ? now : Math.max(allowance.tat, now);
          long resetAfter = tat - now;
          if (permits > limit) {
            decision[0] =
                new RateLimit.Denied(
                    limit, Duration.ofNanos(WINDOW_NANOS), Duration.ofNanos(resetAfter));
            return allowance;
          }
          long newTat = tat + permits * interval;
          long allowedAt = newTat - WINDOW_NANOS;
          if (allowedAt > now) {
            decision[0] =
                new RateLimit.Denied(
                    limit, Duration.ofNanos(allowedAt - now), Duration.ofNanos(resetAfter));
            return allowance;
          }
          long remaining = Math.min(limit, (now + WINDOW_NANOS - newTat) / interval);
          decision[0] = new RateLimit.Allowed(limit, remaining, Duration.ofNanos(newTat - now));
          Allowance updated = allowance == null ? new Allowance() : allowance;
          updated.tat = newTat;
          return updated;
        });
    sweepIfDue(now);
    return decision[0];
  }

  /** How many organizations the limiter currently remembers; for tests of its memory bound. */
  int trackedOrganizations() {
    return allowances.size();
  }

  private void sweepIfDue(long now) {
    long due = nextSweepNanos.get();
    if (now < due || !nextSweepNanos.compareAndSet(due, now + WINDOW_NANOS)) {
      return;
    }
    for (OrganizationId id : allowances.keySet()) {
      allowances.computeIfPresent(id, (key, allowance) -> allowance.tat <= now ? null : allowance);
    }
  }

  private static long nanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
  }

  /** Mutated only inside the map's compute functions, which hold the entry's lock. */
  private static final class Allowance {
    long tat;
  }
}

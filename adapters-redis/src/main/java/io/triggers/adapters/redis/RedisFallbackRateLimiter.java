package io.triggers.adapters.redis;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Rate limits shared by every node through Redis, counted by this node alone while Redis is
 * unavailable. Meanwhile each node allows an organization its whole allowance, which for a while is
 * too generous by the number of nodes, rather than refusing events that could be stored.
 */
public final class RedisFallbackRateLimiter implements RateLimiter {

  private final RateLimiter shared;
  private final RateLimiter local;
  private final RedisOutage outage;

  /**
   * {@code shared} is the Redis limiter, {@code local} counts while it fails, and {@code nanoTime}
   * (as {@link System#nanoTime}) times the attempts to go back to Redis.
   */
  public RedisFallbackRateLimiter(RateLimiter shared, RateLimiter local, LongSupplier nanoTime) {
    this.shared = Objects.requireNonNull(shared, "shared");
    this.local = Objects.requireNonNull(local, "local");
    this.outage = new RedisOutage("rate limiting", "each node counts on its own", nanoTime);
  }

  @Override
  public RateLimit acquire(OrganizationId organization, Tier tier, int permits) {
    if (outage.shouldAskRedis()) {
      try {
        RateLimit decision = shared.acquire(organization, tier, permits);
        outage.succeeded();
        return decision;
      } catch (RedisUnavailableException e) {
        outage.failed(e);
      }
    }
    return local.acquire(organization, tier, permits);
  }

  /** Whether Redis failed and has not answered since, so that the fallback serves; cheap. */
  public boolean isFallingBack() {
    return outage.isOngoing();
  }
}

package io.triggers.examples;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A host's own implementation of a driven port: a rate limiter that decorates another and counts,
 * per organization, the requests it refused, for the host's own dashboards. Thread-safe.
 */
public final class CountingRateLimiter implements RateLimiter {

  private final RateLimiter delegate;
  private final Map<OrganizationId, LongAdder> denied = new ConcurrentHashMap<>();

  /** Counts what {@code delegate} refuses; the decisions are the delegate's. */
  public CountingRateLimiter(RateLimiter delegate) {
    this.delegate = delegate;
  }

  @Override
  public RateLimit acquire(OrganizationId organization, Tier tier, int permits) {
    RateLimit answer = delegate.acquire(organization, tier, permits);
    if (answer instanceof RateLimit.Denied) {
      denied.computeIfAbsent(organization, id -> new LongAdder()).increment();
    }
    return answer;
  }

  /** How many requests of {@code organization} were refused so far. */
  public long denied(OrganizationId organization) {
    LongAdder count = denied.get(organization);
    return count == null ? 0 : count.sum();
  }
}

package io.triggers.core.memory;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.RateLimiter;
import java.util.List;
import java.util.Objects;

/**
 * Admission by a rate limiter and a deduplicator asked one after the other, for limiters and
 * deduplicators that live in this process and so cost no round trip each.
 */
public final class LocalAdmission implements Admission {

  private final RateLimiter rateLimiter;
  private final Deduplicator deduplicator;

  /** Asks {@code rateLimiter} first and {@code deduplicator} only for events it allowed. */
  public LocalAdmission(RateLimiter rateLimiter, Deduplicator deduplicator) {
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
  }

  @Override
  public Decision admit(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    RateLimit rateLimit = rateLimiter.acquire(organization, tier, permits);
    if (rateLimit instanceof RateLimit.Denied || claims.isEmpty()) {
      return new Decision(rateLimit, List.of());
    }
    return new Decision(rateLimit, deduplicator.claimAll(organization, claims));
  }
}

package io.triggers.adapters.redis;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.RateLimiter;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Admission shared by every node through Redis; while Redis is unavailable, each node counts the
 * rate limits on its own, as {@link RedisFallbackRateLimiter} does, and grants every dedup claim,
 * as {@link RedisFailOpenDeduplicator} does, so that the event store alone refuses duplicates.
 */
public final class RedisFallbackAdmission implements Admission {

  private final Admission shared;
  private final RateLimiter local;
  private final RedisOutage outage;

  /**
   * {@code shared} is the Redis admission, {@code local} counts while it fails, and {@code
   * nanoTime} (as {@link System#nanoTime}) times the attempts to go back to Redis.
   */
  public RedisFallbackAdmission(Admission shared, RateLimiter local, LongSupplier nanoTime) {
    this.shared = Objects.requireNonNull(shared, "shared");
    this.local = Objects.requireNonNull(local, "local");
    this.outage =
        new RedisOutage(
            "rate limiting and dedup",
            "each node counts on its own and only PostgreSQL's unique index refuses duplicates",
            nanoTime);
  }

  @Override
  public Decision admit(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    if (outage.shouldAskRedis()) {
      try {
        Decision decision = shared.admit(organization, tier, permits, claims);
        outage.succeeded();
        return decision;
      } catch (RedisUnavailableException e) {
        outage.failed(e);
      }
    }
    return locally(organization, tier, permits, claims);
  }

  /**
   * Asks Redis without waiting, unless it is known to be away; when it fails to answer, the stage
   * completes with the local decision instead, on the thread that learnt of the failure.
   */
  @Override
  public CompletionStage<Decision> admitAsync(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    if (!outage.shouldAskRedis()) {
      return CompletableFuture.completedFuture(locally(organization, tier, permits, claims));
    }
    CompletionStage<Decision> asked;
    try {
      asked = shared.admitAsync(organization, tier, permits, claims);
    } catch (RedisUnavailableException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    return asked.handle(
        (decision, failure) -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause == null) {
            outage.succeeded();
            return decision;
          }
          if (cause instanceof RedisUnavailableException unavailable) {
            outage.failed(unavailable);
            return locally(organization, tier, permits, claims);
          }
          throw failure instanceof CompletionException wrapped
              ? wrapped
              : new CompletionException(cause);
        });
  }

  private Decision locally(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    RateLimit rateLimit = local.acquire(organization, tier, permits);
    return rateLimit instanceof RateLimit.Allowed
        ? new Decision(rateLimit, Collections.nCopies(claims.size(), Optional.<EventId>empty()))
        : new Decision(rateLimit, List.of());
  }

  /** Whether Redis failed and has not answered since, so that the fallback serves; cheap. */
  public boolean isFallingBack() {
    return outage.isOngoing();
  }
}

package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The rate limit of {@link RedisRateLimiter} and the dedup claims of {@link RedisDeduplicator},
 * with the same keys and answers, decided by one run of their script: one round trip a request
 * instead of one for the limit and one or two for the claims. The organization's keys share one
 * hash tag, so the script works on Redis Cluster too.
 *
 * <p>Thread-safe. Throws {@link RedisUnavailableException} when Redis cannot answer within the
 * command timeout, so that a caller can fall back.
 */
final class RedisAdmission implements Admission {

  private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final Clock clock;
  private final String ttlMillis;

  RedisAdmission(
      Supplier<RedisClusterAsyncCommands<String, String>> redis, Clock clock, Duration ttl) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least a millisecond");
    }
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttlMillis = Long.toString(ttl.toMillis());
  }

  @Override
  public Decision admit(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    try {
      return admitAsync(organization, tier, permits, claims).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : e;
    }
  }

  /**
   * Runs the script without waiting; the stage completes on Lettuce's event loop, or fails with a
   * {@link RedisUnavailableException}.
   */
  @Override
  public CompletionStage<Decision> admitAsync(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    Instant now = clock.instant();
    int limit = tier.eventsPerMinute();
    String[] keys = new String[1 + claims.size()];
    String[] args = new String[claims.isEmpty() ? 5 : 6 + claims.size()];
    keys[0] = RedisRateLimiter.key(organization);
    args[0] = Long.toString(now.getEpochSecond());
    args[1] = Integer.toString(now.getNano());
    args[2] = Long.toString(WINDOW_NANOS / limit);
    args[3] = Integer.toString(limit);
    args[4] = Integer.toString(permits);
    if (!claims.isEmpty()) {
      args[5] = ttlMillis;
      for (int i = 0; i < claims.size(); i++) {
        keys[1 + i] = RedisDeduplicator.key(organization, claims.get(i).dedupId());
        args[6 + i] = claims.get(i).candidate().toString();
      }
    }
    CompletionStage<List<Object>> answer;
    try {
      answer = RedisRateLimiter.GCRA.runAsync(redis.get(), ScriptOutputType.MULTI, keys, args);
    } catch (RedisException e) {
      return CompletableFuture.failedFuture(unavailable(e));
    }
    return answer.handle(
        (values, failure) -> {
          if (failure != null) {
            throw unavailable(
                failure instanceof CompletionException ? failure.getCause() : failure);
          }
          return decision(values, limit, args);
        });
  }

  private static RedisUnavailableException unavailable(Throwable failure) {
    return new RedisUnavailableException("Redis could not admit events", failure);
  }

  /**
   * The script's answer: allowed or not, then the rate limit's figures, then each claim's holder.
   */
  private static Decision decision(List<Object> answer, int limit, String[] args) {
    long amount = (Long) answer.get(1);
    Duration resetAfter = Duration.ofNanos((Long) answer.get(2));
    if ((Long) answer.get(0) != 1) {
      return new Decision(
          new RateLimit.Denied(limit, Duration.ofNanos(amount), resetAfter), List.of());
    }
    int claims = args.length > 5 ? args.length - 6 : 0;
    List<Optional<EventId>> holders = new ArrayList<>(claims);
    for (int i = 0; i < claims; i++) {
      String holder = (String) answer.get(3 + i);
      String candidate = args[6 + i];
      holders.add(
          holder.equals(candidate)
              ? Optional.empty()
              : Optional.of(RedisDeduplicator.parse(holder)));
    }
    return new Decision(new RateLimit.Allowed(limit, amount, resetAfter), holders);
  }
}

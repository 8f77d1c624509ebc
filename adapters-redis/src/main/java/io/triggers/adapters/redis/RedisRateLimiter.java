package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A GCRA rate limiter whose state lives in Redis, so all nodes share one allowance per
 * organization; each decision is one atomic Lua script ({@code gcra.lua}) with the same answers as
 * {@link io.triggers.core.memory.LocalRateLimiter} for the same clock.
 *
 * <p>The time comes from the injected {@link Clock} and travels to the script as an argument, not
 * from Redis {@code TIME}: that keeps the limiter testable with a controlled clock, and it means
 * the nodes' clocks must be kept in step (NTP); a node whose clock runs ahead spends the allowance
 * a little early. Each organization has one key, {@code triggers:rl:{<organization>}}, hash-tagged
 * so it works on Redis Cluster, and it expires once the allowance is whole again.
 *
 * <p>Thread-safe. Throws {@link RedisUnavailableException} when Redis cannot answer within the
 * command timeout, so that a caller can fall back to a local limiter.
 */
final class RedisRateLimiter implements RateLimiter {

  private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
  static final LuaScript GCRA = LuaScript.fromResource("gcra.lua");

  /** The claims' time to live that the script needs in its first place, unused without claims. */
  private static final String NO_CLAIMS_TTL = "0";

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final Clock clock;

  RedisRateLimiter(Supplier<RedisClusterAsyncCommands<String, String>> redis, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public RateLimit acquire(OrganizationId organization, Tier tier, int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    Instant now = clock.instant();
    int limit = tier.eventsPerMinute();
    long interval = WINDOW_NANOS / limit;
    List<Object> answer;
    try {
      answer =
          Await.result(
              GCRA.runAsync(
                  redis.get(),
                  ScriptOutputType.MULTI,
                  new String[] {key(organization)},
                  NO_CLAIMS_TTL,
                  Long.toString(now.getEpochSecond()),
                  Integer.toString(now.getNano()),
                  Long.toString(interval),
                  Integer.toString(limit),
                  Integer.toString(permits),
                  "0"));
    } catch (RedisException e) {
      throw new RedisUnavailableException("Redis could not decide a rate limit", e);
    }
    long verdict = (Long) answer.get(0);
    long amount = (Long) answer.get(1);
    Duration resetAfter = Duration.ofNanos((Long) answer.get(2));
    return verdict == 1
        ? new RateLimit.Allowed(limit, amount, resetAfter)
        : new RateLimit.Denied(limit, Duration.ofNanos(amount), resetAfter);
  }

  static String key(OrganizationId organization) {
    return "triggers:rl:{" + organization + "}";
  }
}

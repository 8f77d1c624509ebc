package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.Health;
import io.triggers.core.port.out.HealthCheck;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reports Redis UP when it answers PING in time, and DEGRADED otherwise, never DOWN: without Redis
 * a node still serves, falling back to in-process rate limits, dedup and queue.
 */
final class RedisHealthCheck implements HealthCheck {

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final Duration timeout;

  RedisHealthCheck(Supplier<RedisClusterAsyncCommands<String, String>> redis, Duration timeout) {
    this.redis = redis;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Health check() {
    try {
      String reply = redis.get().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return "PONG".equals(reply) ? Health.up() : degraded("unexpected answer to PING");
    } catch (ExecutionException e) {
      return degraded("no answer to PING: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      return degraded("no answer to PING within " + timeout.toMillis() + " ms");
    } catch (RedisException e) {
      return degraded("no answer to PING: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return degraded("interrupted while waiting for PING");
    }
  }

  private static Health degraded(String detail) {
    return new Health(Health.Status.DEGRADED, detail);
  }
}

package io.triggers.adapters.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Whether the Redis server is part of a Redis Cluster, where one script run may only touch the keys
 * of one hash slot. Asked once with {@code INFO cluster}, in the background; until the server has
 * answered, and where it does not answer {@code INFO}, as through some proxies, it counts as a
 * cluster, which is right everywhere. Thread-safe.
 */
final class ClusterMode {

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final AtomicBoolean asking = new AtomicBoolean();
  private volatile boolean known;
  private volatile boolean cluster = true;

  ClusterMode(Supplier<RedisClusterAsyncCommands<String, String>> redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  /** A mode known already, never asked: a cluster's or a standalone server's. */
  static ClusterMode known(boolean cluster) {
    ClusterMode mode =
        new ClusterMode(
            () -> {
              throw new IllegalStateException("a known mode is never asked");
            });
    mode.learn(cluster);
    return mode;
  }

  /**
   * Whether a script's keys must share one slot; starts asking the server if nobody has yet. Cheap
   * once the server has answered.
   */
  boolean splitsBySlot() {
    if (!known && asking.compareAndSet(false, true)) {
      ask();
    }
    return cluster;
  }

  private void ask() {
    try {
      redis
          .get()
          .info("cluster")
          .whenComplete(
              (info, failure) -> {
                if (failure == null) {
                  learn(info.contains("cluster_enabled:1"));
                } else if (failure instanceof RedisCommandExecutionException
                    || failure.getCause() instanceof RedisCommandExecutionException) {
                  // Refused, not unanswered: a proxy that keeps INFO to itself; asking again
                  // would be refused again.
                  learn(true);
                }
                asking.set(false);
              });
    } catch (RuntimeException e) {
      // Not connected yet: a later batch asks again.
      asking.set(false);
    }
  }

  private void learn(boolean enabled) {
    cluster = enabled;
    known = true;
  }
}

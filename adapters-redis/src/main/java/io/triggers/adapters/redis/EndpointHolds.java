package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.FailureLog;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The holds on endpoints' tasks ({@link RedisDeliveryQueue#holdBack}): writes this node's into
 * Redis, for every node's {@code enqueue.lua} to read, and knows them and those runs of the script
 * reported, so that {@link TaskEnqueuing} sends no run only to have it hold the tasks back: while
 * an endpoint is down, every event to it would otherwise pay a round trip to Redis.
 *
 * <p>This node's own holds are known until they end or it ends them. A hold that a run of the
 * script reported (another node's) is trusted for {@link #RECHECK} at most, since that node may end
 * it early: the next run after that asks Redis again. Thread-safe.
 */
final class EndpointHolds {

  /** How long a hold that a run reported is trusted without asking Redis again. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  /** Beyond this many endpoints, the holds that have ended are forgotten. */
  private static final int REMEMBERED = 10_000;

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final Clock clock;
  private final FailureLog failures;
  private final Map<EndpointId, Instant> holds = new ConcurrentHashMap<>();

  /**
   * Holds written through {@code redis} without waiting; what fails is logged to {@code failures}.
   */
  EndpointHolds(
      Supplier<RedisClusterAsyncCommands<String, String>> redis, Clock clock, FailureLog failures) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failures = Objects.requireNonNull(failures, "failures");
  }

  /**
   * This node holds the endpoint's tasks back until {@code until}, or no more if that is not after
   * now: known here at once, and in Redis once the write is through. If Redis fails, other nodes do
   * not hold them back, and take and drop them.
   */
  void own(EndpointId endpoint, Instant until) {
    boolean holding = until.isAfter(clock.instant());
    if (holding) {
      forgetEndedIfMany();
      holds.put(endpoint, until);
    } else {
      holds.remove(endpoint);
    }
    try {
      RedisClusterAsyncCommands<String, String> commands = redis.get();
      (holding
              ? commands.zadd(
                  RedisDeliveryQueue.HELD_BACK_KEY, until.toEpochMilli(), endpoint.toString())
              : commands.zrem(RedisDeliveryQueue.HELD_BACK_KEY, endpoint.toString()))
          .whenComplete(
              (answer, failure) -> {
                if (failure != null) {
                  failures.record(failure);
                }
              });
    } catch (RedisException e) {
      failures.record(e);
    }
  }

  /** A run of the script found the endpoint held back until {@code until}. */
  void reported(EndpointId endpoint, Instant until) {
    Instant trusted = min(until, clock.instant().plus(RECHECK));
    forgetEndedIfMany();
    holds.merge(endpoint, trusted, (known, reported) -> known.isAfter(reported) ? known : reported);
  }

  /**
   * The tasks no known hold covers: {@code tasks} itself while no hold is known, as on the ingest
   * path nearly always, so that it costs no copy.
   */
  List<DeliveryTask> notHeld(List<DeliveryTask> tasks, Instant now) {
    if (holds.isEmpty()) {
      return tasks;
    }
    return tasks.stream().filter(task -> !holds(task, now)).toList();
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

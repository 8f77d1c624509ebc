package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.FailureLog;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Adds delivery tasks to {@link RedisDeliveryQueue} in one run of {@code enqueue.lua}, without
 * waiting for Redis: to the stream those due now, to the sorted set those due later, and neither
 * those whose endpoint is {@link RedisDeliveryQueue#holdBack held back} while they fall due.
 *
 * <p>Once a run finds the stream at its length limit, tasks due now are counted as not added,
 * without a run, for {@link #FULL_STREAM_HOLD}: while endpoints stall, every ingest request would
 * otherwise pay a round trip to be refused. A full stream holds far more than the dispatchers take
 * in that time, so a task it would have taken meanwhile would have waited behind the full stream
 * anyway; the sweep of due deliveries queues it, as it does every task the queue did not add.
 * Likewise, a task whose endpoint is held back, as far as this node knows ({@link EndpointHolds}),
 * is not sent. Thread-safe.
 */
final class TaskEnqueuing {

  static final LuaScript ENQUEUE = LuaScript.fromResource("enqueue.lua");

  /** How long tasks due now are not sent after a run found the stream full. */
  static final Duration FULL_STREAM_HOLD = Duration.ofSeconds(1);

  private static final String FULL = "the queue is full";

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final Clock clock;
  private final long maxLength;
  private final FailureLog dropped;
  private final EndpointHolds holds;
  private volatile Instant streamFullUntil = Instant.MIN;

  /**
   * Sends tasks to a queue of at most {@code maxLength} tasks; counts in {@code dropped} each task
   * the queue did not take, one at a time.
   */
  TaskEnqueuing(
      Supplier<RedisClusterAsyncCommands<String, String>> redis,
      Clock clock,
      long maxLength,
      FailureLog dropped,
      EndpointHolds holds) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxLength = maxLength;
    this.dropped = Objects.requireNonNull(dropped, "dropped");
    this.holds = Objects.requireNonNull(holds, "holds");
  }

  /** Sends the tasks, due now if not after the clock's now, in one run. */
  void enqueue(List<DeliveryTask> tasks) {
    Instant now = clock.instant();
    List<DeliveryTask> toSend = holds.notHeld(tasks, now);
    if (now.isBefore(streamFullUntil)) {
      List<DeliveryTask> notHeld = toSend;
      toSend = notHeld.stream().filter(task -> task.dueAt().isAfter(now)).toList();
      for (int n = toSend.size(); n < notHeld.size(); n++) {
        dropped.record(FULL);
      }
    }
    if (!toSend.isEmpty()) {
      run(toSend, now);
    }
  }

  private void run(List<DeliveryTask> tasks, Instant now) {
    String[] args = new String[3 + 3 * tasks.size()];
    args[0] = RedisDeliveryQueue.FIELD;
    args[1] = Long.toString(maxLength);
    args[2] = Long.toString(now.toEpochMilli());
    int i = 3;
    for (DeliveryTask task : tasks) {
      args[i++] = TaskCodec.encode(task);
      args[i++] = task.dueAt().isAfter(now) ? Long.toString(TaskCodec.score(task.dueAt())) : "now";
      args[i++] = task.endpointId().toString();
    }
    try {
      ENQUEUE
          .<List<Long>>runAsync(
              redis.get(),
              ScriptOutputType.MULTI,
              new String[] {
                RedisDeliveryQueue.STREAM_KEY,
                RedisDeliveryQueue.SCHEDULED_KEY,
                RedisDeliveryQueue.HELD_BACK_KEY
              },
              args)
          .whenComplete(
              (answer, failure) -> {
                if (failure != null) {
                  tasks.forEach(task -> dropped.record(failure));
                  return;
                }
                if (answer.get(1) == 1) {
                  streamFullUntil = clock.instant().plus(FULL_STREAM_HOLD);
                }
                // Held-back tasks were left out on purpose: the sweep queues them later.
                for (long n = answer.get(0) + answer.get(2); n < tasks.size(); n++) {
                  dropped.record(FULL);
                }
                for (int t = 0; t < tasks.size(); t++) {
                  long heldUntil = answer.get(3 + t);
                  if (heldUntil > 0) {
                    holds.reported(tasks.get(t).endpointId(), Instant.ofEpochMilli(heldUntil));
                  }
                }
              });
    } catch (RedisException e) {
      tasks.forEach(task -> dropped.record(e));
    }
  }
}

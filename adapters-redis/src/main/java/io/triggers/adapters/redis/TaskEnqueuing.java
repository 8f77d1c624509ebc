package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.FailureLog;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Adds delivery tasks to {@link RedisDeliveryQueue} in one run of {@code enqueue.lua}, without
 * waiting for Redis: to the stream those due now, to the sorted set those due later.
 */
final class TaskEnqueuing {

  static final LuaScript ENQUEUE = LuaScript.fromResource("enqueue.lua");

  private TaskEnqueuing() {}

  /**
   * Sends the tasks, due now if not after {@code now}, to a queue of at most {@code maxLength}
   * tasks; counts in {@code dropped} each task the queue did not take, one at a time.
   */
  static void run(
      Supplier<RedisClusterAsyncCommands<String, String>> redis,
      List<DeliveryTask> tasks,
      Instant now,
      long maxLength,
      FailureLog dropped) {
    String[] args = new String[2 + 2 * tasks.size()];
    args[0] = RedisDeliveryQueue.FIELD;
    args[1] = Long.toString(maxLength);
    int i = 2;
    for (DeliveryTask task : tasks) {
      args[i++] = TaskCodec.encode(task);
      args[i++] = task.dueAt().isAfter(now) ? Long.toString(TaskCodec.score(task.dueAt())) : "now";
    }
    try {
      ENQUEUE
          .<Long>runAsync(
              redis.get(),
              ScriptOutputType.INTEGER,
              new String[] {RedisDeliveryQueue.STREAM_KEY, RedisDeliveryQueue.SCHEDULED_KEY},
              args)
          .whenComplete(
              (added, failure) -> {
                int notAdded = tasks.size() - (failure == null ? added.intValue() : 0);
                for (int n = 0; n < notAdded; n++) {
                  if (failure != null) {
                    dropped.record(failure);
                  } else {
                    dropped.record("the queue is full");
                  }
                }
              });
    } catch (RedisException e) {
      tasks.forEach(task -> dropped.record(e));
    }
  }
}

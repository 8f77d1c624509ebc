package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.FailureLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Entries of completed delivery tasks, acknowledged and deleted from the stream many at once and
 * without waiting; a failure is logged, and its tasks are handed out again later.
 */
final class CompletedEntries {

  private final Supplier<RedisClusterAsyncCommands<String, String>> pipelined;
  private final FailureLog failures = RedisDeliveryQueue.failureLog("Completing delivery tasks");

  /** Entries not yet acknowledged, and about how many there are. */
  private final ConcurrentLinkedQueue<String> waiting = new ConcurrentLinkedQueue<>();

  private final AtomicInteger waitingCount = new AtomicInteger();

  CompletedEntries(Supplier<RedisClusterAsyncCommands<String, String>> pipelined) {
    this.pipelined = pipelined;
  }

  /** Adds a completed task's entries, acknowledging them all once enough are waiting. */
  void add(Set<String> entryIds) {
    waiting.addAll(entryIds);
    if (waitingCount.addAndGet(entryIds.size()) >= RedisDeliveryQueue.COMPLETIONS_AT_ONCE) {
      acknowledge();
    }
  }

  /** Acknowledges and deletes, without waiting, the entries of the tasks completed so far. */
  void acknowledge() {
    List<String> ids = new ArrayList<>();
    String id;
    while (ids.size() < 4 * RedisDeliveryQueue.COMPLETIONS_AT_ONCE
        && (id = waiting.poll()) != null) {
      ids.add(id);
    }
    if (ids.isEmpty()) {
      return;
    }
    waitingCount.addAndGet(-ids.size());
    String[] entries = ids.toArray(String[]::new);
    try {
      logFailureOf(
          pipelined.get().xack(RedisDeliveryQueue.STREAM_KEY, RedisDeliveryQueue.GROUP, entries));
      logFailureOf(pipelined.get().xdel(RedisDeliveryQueue.STREAM_KEY, entries));
    } catch (RedisException e) {
      failures.record(e);
    }
  }

  private void logFailureOf(RedisFuture<?> write) {
    write.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            failures.record(failure);
          }
        });
  }
}

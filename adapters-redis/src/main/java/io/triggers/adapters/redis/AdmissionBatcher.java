package io.triggers.adapters.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Sends the admissions of concurrent callers to Redis as few runs of {@code gcra.lua}, as the group
 * commit shares one fsync: a lone admission goes at once, and those that arrive while a batch is in
 * flight wait for it to be answered, then go together, up to {@link #MAX_ADMISSIONS} admissions or
 * {@link #MAX_KEYS} keys a batch. So one answer is encoded, read and decoded for many requests.
 *
 * <p>A script may only touch the keys of one hash slot on Redis Cluster, and through a proxy in
 * front of one: there a batch goes as one run per slot, all sent together. Whether the server is
 * part of a cluster is asked once, with {@code INFO cluster}; until it has answered, batches are
 * split by slot, which is right everywhere.
 *
 * <p>Thread-safe. A batch that Redis does not answer in time, or refuses, fails each of its
 * admissions with {@link RedisUnavailableException}, and so do those queued behind it, which would
 * wait as long to fail the same way. The callers' stages complete on Lettuce's event loop, after
 * the next batch is on its way.
 */
final class AdmissionBatcher {

  /** The most admissions a batch takes, so that one run keeps Redis busy only briefly. */
  static final int MAX_ADMISSIONS = 64;

  /** The most keys a batch takes, unless its first admission alone has more. */
  static final int MAX_KEYS = 1024;

  /** One run of {@code gcra.lua}; its stage fails with Lettuce's exception. */
  @FunctionalInterface
  interface Script {
    CompletionStage<List<Object>> run(String[] keys, String[] args);

    /** The script on the given connection, loaded again if Redis has forgotten it. */
    static Script on(Supplier<RedisClusterAsyncCommands<String, String>> redis) {
      return (keys, args) ->
          RedisRateLimiter.GCRA.runAsync(redis.get(), ScriptOutputType.MULTI, keys, args);
    }
  }

  private final Script script;
  private final String ttlMillis;
  private final ClusterMode clusterMode;
  private final ReentrantLock lock = new ReentrantLock();

  /** Admissions waiting for the batch in flight to be answered; guarded by {@link #lock}. */
  private final ArrayDeque<QueuedAdmission> queue = new ArrayDeque<>();

  /** Whether a batch is in flight; guarded by {@link #lock}. */
  private boolean inFlight;

  AdmissionBatcher(Script script, String ttlMillis, ClusterMode clusterMode) {
    this.script = Objects.requireNonNull(script, "script");
    this.ttlMillis = Objects.requireNonNull(ttlMillis, "ttlMillis");
    this.clusterMode = Objects.requireNonNull(clusterMode, "clusterMode");
  }

  /** Sends the admission now if no batch is in flight, else with the next batch. */
  void submit(QueuedAdmission admission) {
    lock.lock();
    try {
      if (inFlight) {
        queue.add(admission);
        return;
      }
      inFlight = true;
    } finally {
      lock.unlock();
    }
    send(List.of(admission));
  }

  /** Sends a batch as one run per slot group; the last group answered sends the next batch. */
  private void send(List<QueuedAdmission> batch) {
    List<List<QueuedAdmission>> runs = clusterMode.splitsBySlot() ? bySlot(batch) : List.of(batch);
    AtomicInteger unanswered = new AtomicInteger(runs.size());
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    for (List<QueuedAdmission> run : runs) {
      run(run)
          .whenComplete(
              (answer, failure) -> {
                if (failure != null) {
                  firstFailure.compareAndSet(null, failure);
                }
                if (unanswered.decrementAndGet() == 0) {
                  sendNext(firstFailure.get());
                }
                if (failure == null) {
                  complete(run, answer);
                } else {
                  fail(run, failure);
                }
              });
    }
  }

  private CompletionStage<List<Object>> run(List<QueuedAdmission> run) {
    int keyCount = 0;
    int argCount = 1;
    for (QueuedAdmission admission : run) {
      keyCount += admission.keyCount();
      argCount += admission.argCount();
    }
    String[] keys = new String[keyCount];
    String[] args = new String[argCount];
    args[0] = ttlMillis;
    int keyAt = 0;
    int argAt = 1;
    for (QueuedAdmission admission : run) {
      admission.copyInto(keys, keyAt, args, argAt);
      keyAt += admission.keyCount();
      argAt += admission.argCount();
    }
    try {
      return script.run(keys, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Takes the next batch from the queue and sends it, or marks that none is in flight; after a
   * batch failed, fails the whole queue with the same failure instead.
   */
  private void sendNext(Throwable failure) {
    List<QueuedAdmission> next = new ArrayList<>();
    lock.lock();
    try {
      if (failure != null) {
        next.addAll(queue);
        queue.clear();
        inFlight = false;
      } else {
        take(next);
        inFlight = !next.isEmpty();
      }
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      fail(next, failure);
    } else if (!next.isEmpty()) {
      send(next);
    }
  }

  /** Moves the next batch from the queue into {@code batch}; called under {@link #lock}. */
  private void take(List<QueuedAdmission> batch) {
    int keys = 0;
    while (batch.size() < MAX_ADMISSIONS && !queue.isEmpty()) {
      int more = queue.peek().keyCount();
      if (!batch.isEmpty() && keys + more > MAX_KEYS) {
        return;
      }
      batch.add(queue.poll());
      keys += more;
    }
  }

  private static List<List<QueuedAdmission>> bySlot(List<QueuedAdmission> batch) {
    if (batch.size() == 1) {
      return List.of(batch);
    }
    Map<Integer, List<QueuedAdmission>> groups = new LinkedHashMap<>();
    for (QueuedAdmission admission : batch) {
      groups
          .computeIfAbsent(SlotHash.getSlot(admission.slotKey()), slot -> new ArrayList<>())
          .add(admission);
    }
    return List.copyOf(groups.values());
  }

  private static void complete(List<QueuedAdmission> run, List<Object> answer) {
    int at = 0;
    try {
      for (QueuedAdmission admission : run) {
        at = admission.complete(answer, at);
      }
    } catch (RuntimeException e) {
      // An answer that does not read as the script's: fail those not answered yet.
      fail(run, e);
    }
  }

  private static void fail(List<QueuedAdmission> run, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    RedisUnavailableException unavailable =
        new RedisUnavailableException("Redis could not admit events", cause);
    for (QueuedAdmission admission : run) {
      admission.fail(unavailable);
    }
  }
}

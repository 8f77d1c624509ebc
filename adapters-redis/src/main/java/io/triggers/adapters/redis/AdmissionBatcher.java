package io.triggers.adapters.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sends the admissions of concurrent callers to Redis as few runs of {@code gcra.lua}, as the group
 * commit shares one fsync: a lone admission goes at once, and those that arrive while a batch is in
 * flight wait for it to be answered, then go together, up to {@link #MAX_ADMISSIONS} admissions or
 * {@link #MAX_KEYS} keys a batch. So one answer is encoded, read and decoded for many requests.
 *
 * <p>A caller only queues its admission: one sender at a time takes the queue. The next batch is
 * written by the event loop that read the last answer, straight into the channel; a lone admission
 * is handed to that loop too, once one answer has shown which loop it is (before that, and while
 * Redis is away, the caller writes it itself). So the caller's thread neither builds the command
 * nor writes to the channel, and nothing waits longer than the loop takes to wake.
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
  private final EventLoops eventLoops;

  /** Admissions not sent yet; any thread offers, only the sender of the moment takes. */
  private final ConcurrentLinkedQueue<QueuedAdmission> queue = new ConcurrentLinkedQueue<>();

  /**
   * Whether a thread is sending or a batch is in flight: who sets it is the one sender, until the
   * queue is found empty with no batch in flight.
   */
  private final AtomicBoolean sending = new AtomicBoolean();

  /** The event loop that read the last answer, if it is known: where lone admissions are sent. */
  private volatile Optional<EventLoop> answerLoop = Optional.empty();

  AdmissionBatcher(
      Script script, String ttlMillis, ClusterMode clusterMode, EventLoops eventLoops) {
    this.script = Objects.requireNonNull(script, "script");
    this.ttlMillis = Objects.requireNonNull(ttlMillis, "ttlMillis");
    this.clusterMode = Objects.requireNonNull(clusterMode, "clusterMode");
    this.eventLoops = Objects.requireNonNull(eventLoops, "eventLoops");
  }

  /** Sends the admission now if no batch is in flight, else with the next batch. */
  void submit(QueuedAdmission admission) {
    queue.offer(admission);
    if (!sending.compareAndSet(false, true)) {
      return;
    }
    Optional<EventLoop> loop = answerLoop;
    if (loop.isEmpty()) {
      sendQueued();
      return;
    }
    try {
      loop.get().execute(this::sendQueued);
    } catch (RejectedExecutionException e) {
      // The client is closing: the command fails as it would have from here.
      sendQueued();
    }
  }

  /** Run by the one sender: sends the next batch from the queue, or stops being the sender. */
  private void sendQueued() {
    while (true) {
      List<QueuedAdmission> batch = take();
      if (!batch.isEmpty()) {
        send(batch);
        return;
      }
      sending.set(false);
      // One offered after the queue was found empty saw a sender and left it to us.
      if (queue.isEmpty() || !sending.compareAndSet(false, true)) {
        return;
      }
    }
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
                  answered(firstFailure.get());
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
   * After a batch: notes the thread's event loop, then sends the next batch; after a failure, fails
   * what is queued with the same failure instead and stops being the sender.
   */
  private void answered(Throwable failure) {
    Optional<EventLoop> known = answerLoop;
    if (known.isEmpty() || !known.get().inEventLoop()) {
      // Not on a loop (a command refused at once, a timeout) leaves lone admissions to the caller.
      answerLoop = eventLoops.current();
    }
    if (failure == null) {
      sendQueued();
      return;
    }
    List<QueuedAdmission> queued = new ArrayList<>();
    for (QueuedAdmission admission = queue.poll(); admission != null; admission = queue.poll()) {
      queued.add(admission);
    }
    sendQueued();
    fail(queued, failure);
  }

  /** Takes the next batch from the queue; called only by the sender. */
  private List<QueuedAdmission> take() {
    QueuedAdmission first = queue.poll();
    if (first == null) {
      return List.of();
    }
    List<QueuedAdmission> batch = new ArrayList<>();
    batch.add(first);
    int keys = first.keyCount();
    for (QueuedAdmission next = queue.peek();
        next != null && batch.size() < MAX_ADMISSIONS && keys + next.keyCount() <= MAX_KEYS;
        next = queue.peek()) {
      batch.add(queue.poll());
      keys += next.keyCount();
    }
    return batch;
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

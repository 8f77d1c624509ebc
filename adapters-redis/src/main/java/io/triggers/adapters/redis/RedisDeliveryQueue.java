package io.triggers.adapters.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.triggers.core.model.FailureLog;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A delivery queue shared by all nodes, on a Redis Stream read through one consumer group.
 *
 * <p><b>Design.</b> {@link #enqueue} runs a small Lua script ({@code enqueue.lua}): a task due now
 * is added to the stream, a task due later to a sorted set scored by its due time. Each {@link
 * #take} first runs another ({@code promote.lua}) that moves the scheduled tasks that have fallen
 * due into the stream, so a task is never handed out early and never lost while it waits. Then
 * {@code take} claims entries that some consumer took and left unacknowledged for longer than the
 * visibility timeout ({@code XAUTOCLAIM}: that consumer died or hung), reads new entries ({@code
 * XREADGROUP}), and if none came, waits for one with {@code XREADGROUP BLOCK} on a connection of
 * its own, since a blocking command would stall every other command on the shared one. The wait is
 * cut into slices of at most a second, and ends early when the next scheduled task falls due, so
 * tasks scheduled or abandoned elsewhere are noticed too. Completed tasks' entries are acknowledged
 * and deleted ({@code XACK}, {@code XDEL}) many at once: at the start of the next {@link #take},
 * which a taker calls at least every second, or as soon as {@value #COMPLETIONS_AT_ONCE} are
 * waiting, so that a delivery costs two Redis commands fewer. The group is created on first use and
 * again after Redis lost it (a restart without persistence, {@code FLUSHALL}).
 *
 * <p><b>Bounds.</b> The stream holds at most {@code maxLength} entries, waiting or taken, and the
 * sorted set as many scheduled tasks. A full queue drops the task being enqueued rather than
 * trimming old entries, which might be taken and pending; due tasks wait in the sorted set until
 * the stream has room.
 *
 * <p><b>Time.</b> Due times follow the injected clock, which nodes must keep in step (NTP); an
 * entry that another node's clock found due but this node's clock does not is put back into the
 * sorted set. The visibility timeout is measured by Redis (the entry's idle time), in real time.
 *
 * <p><b>Failures.</b> The queue is a hint: delivery state lives in the event store, whose sweep
 * finds deliveries this queue lost. So {@link #enqueue}, which is on the ingest path, never waits
 * for Redis: it pipelines its script and returns, and a task it could not add (Redis failed, the
 * queue was full) is logged and counted ({@link #droppedTasks}), not thrown. A failed
 * acknowledgement is logged too; its task is handed out again after the visibility timeout (at
 * least once), as are the completed tasks not yet acknowledged when the node stops. {@link #take}
 * throws {@link RedisUnavailableException} when Redis cannot answer, and callers should pause
 * before taking again. A task enqueued twice may be handed out twice. Thread-safe.
 *
 * <p><b>Redis Cluster.</b> The queue is global: one stream and one sorted set whose keys share the
 * hash tag {@code {deliveries}}, so they live in one slot (as the scripts need) and the queue's
 * load falls on one shard. That is ample for webhook delivery rates; spreading it would take a
 * fixed number of such pairs, each read in turn.
 */
public final class RedisDeliveryQueue implements DeliveryQueue {

  static final String STREAM_KEY = "triggers:{deliveries}:stream";
  static final String SCHEDULED_KEY = "triggers:{deliveries}:scheduled";
  static final String GROUP = "triggers-delivery";
  static final String FIELD = "task";

  static final LuaScript ENQUEUE = LuaScript.fromResource("enqueue.lua");
  static final LuaScript PROMOTE = LuaScript.fromResource("promote.lua");

  /** The longest a blocking read waits in Redis before {@link #take} looks around again. */
  static final Duration LONGEST_BLOCK = Duration.ofSeconds(1);

  /** Lettuce takes the streams to read as generic varargs, so the array is made once, here. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final StreamOffset<String>[] NEW_ENTRIES =
      new StreamOffset[] {StreamOffset.lastConsumed(STREAM_KEY)};

  private static final int PROMOTED_AT_ONCE = 500;

  /** How many completed tasks' entries make an acknowledgement of their own, without a take. */
  static final int COMPLETIONS_AT_ONCE = 256;

  private static final Logger LOG = LoggerFactory.getLogger(RedisDeliveryQueue.class);

  private final Supplier<RedisClusterCommands<String, String>> redis;
  private final Supplier<RedisClusterAsyncCommands<String, String>> pipelined;
  private final Supplier<RedisClusterAsyncCommands<String, String>> blocking;
  private final Duration commandTimeout;
  private final Clock clock;
  private final Consumer<String> consumer;
  private final Duration visibilityTimeout;
  private final long maxLength;
  private final FailureLog droppedTasks = failureLog("Enqueueing delivery tasks");
  private final FailureLog completionFailures = failureLog("Completing delivery tasks");

  /** Where the next XAUTOCLAIM scan of the pending entries starts; it wraps around to 0-0. */
  private final AtomicReference<String> claimCursor = new AtomicReference<>("0-0");

  /** The entries behind each task this queue handed out, to acknowledge on completion. */
  private final ConcurrentMap<DeliveryTask, Lease> leases = new ConcurrentHashMap<>();

  private final AtomicLong nextLeaseSweepNanos = new AtomicLong(System.nanoTime());

  /** Entries of completed tasks, not yet acknowledged, and about how many there are. */
  private final ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();

  private final AtomicInteger completedCount = new AtomicInteger();

  /** Serializes the blocking reads, which share one connection. */
  private final ReentrantLock blockingRead = new ReentrantLock();

  /** A blocking read an interrupted take left running; guarded by {@link #blockingRead}. */
  private CompletableFuture<List<StreamMessage<String, String>>> abandonedRead;

  RedisDeliveryQueue(
      Supplier<RedisClusterCommands<String, String>> redis,
      Supplier<RedisClusterAsyncCommands<String, String>> pipelined,
      Supplier<RedisClusterAsyncCommands<String, String>> blocking,
      Duration commandTimeout,
      Clock clock,
      String consumerName,
      Duration visibilityTimeout,
      long maxLength) {
    if (consumerName.isBlank()) {
      throw new IllegalArgumentException("consumerName must not be blank");
    }
    if (visibilityTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("visibilityTimeout must be at least a millisecond");
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be at least 1");
    }
    this.redis = Objects.requireNonNull(redis, "redis");
    this.pipelined = Objects.requireNonNull(pipelined, "pipelined");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
    this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.consumer = Consumer.from(GROUP, consumerName);
    this.visibilityTimeout = visibilityTimeout;
    this.maxLength = maxLength;
  }

  @Override
  public void enqueue(DeliveryTask task) {
    boolean dueNow = !task.dueAt().isAfter(clock.instant());
    try {
      ENQUEUE
          .<Long>runAsync(
              pipelined.get(),
              ScriptOutputType.INTEGER,
              new String[] {STREAM_KEY, SCHEDULED_KEY},
              FIELD,
              TaskCodec.encode(task),
              Long.toString(maxLength),
              dueNow ? "now" : Long.toString(TaskCodec.score(task.dueAt())))
          .whenComplete(
              (added, failure) -> {
                if (failure != null) {
                  droppedTasks.record(failure);
                } else if (added == 0) {
                  droppedTasks.record("the queue is full");
                }
              });
    } catch (RedisException e) {
      droppedTasks.record(e);
    }
  }

  @Override
  public List<DeliveryTask> take(int max, Duration wait) throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    long waitNanos = nanosWithin(wait);
    long start = System.nanoTime();
    // On the same connection as the reads below, so an entry completed here is not claimed again.
    acknowledgeCompleted();
    forgetStaleLeases();
    boolean groupJustCreated = false;
    while (true) {
      try {
        Instant now = clock.instant();
        long nextDue = promoteDueTasks(now);
        List<DeliveryTask> tasks = accept(claimAbandonedAndReadNew(max), now);
        if (!tasks.isEmpty()) {
          return tasks;
        }
        long remaining = waitNanos - (System.nanoTime() - start);
        if (remaining <= 0) {
          return List.of();
        }
        List<StreamMessage<String, String>> read =
            readBlocking(max, blockMillis(remaining, nextDue, now), remaining);
        tasks = accept(read, clock.instant());
        if (!tasks.isEmpty()) {
          return tasks;
        }
        groupJustCreated = false;
      } catch (RedisCommandExecutionException e) {
        if (groupJustCreated || !isGroupGone(e)) {
          throw unavailable(e);
        }
        createGroup();
        groupJustCreated = true;
      } catch (RedisCommandInterruptedException e) {
        Thread.interrupted();
        throw new InterruptedException("interrupted while taking delivery tasks");
      } catch (RedisException e) {
        throw unavailable(e);
      }
    }
  }

  @Override
  public void complete(DeliveryTask task) {
    Lease lease = leases.remove(task);
    if (lease == null) {
      return;
    }
    completed.addAll(lease.entryIds());
    if (completedCount.addAndGet(lease.entryIds().size()) >= COMPLETIONS_AT_ONCE) {
      acknowledgeCompleted();
    }
  }

  /**
   * How many enqueued tasks were not added since this queue was made, because the queue was full or
   * Redis failed; the sweep of due deliveries makes up for them.
   */
  public long droppedTasks() {
    return droppedTasks.total();
  }

  /** Acknowledges and deletes, without waiting, the entries of the tasks completed so far. */
  private void acknowledgeCompleted() {
    List<String> ids = new ArrayList<>();
    String id;
    while (ids.size() < 4 * COMPLETIONS_AT_ONCE && (id = completed.poll()) != null) {
      ids.add(id);
    }
    if (ids.isEmpty()) {
      return;
    }
    completedCount.addAndGet(-ids.size());
    String[] entries = ids.toArray(String[]::new);
    try {
      logFailureOf(pipelined.get().xack(STREAM_KEY, GROUP, entries));
      logFailureOf(pipelined.get().xdel(STREAM_KEY, entries));
    } catch (RedisException e) {
      completionFailures.record(e);
    }
  }

  /** Returns the due time (epoch ms) of the earliest task still scheduled, or -1 if none is. */
  private long promoteDueTasks(Instant now) {
    return PROMOTE.<Long>run(
        redis.get(),
        ScriptOutputType.INTEGER,
        new String[] {SCHEDULED_KEY, STREAM_KEY},
        Long.toString(now.toEpochMilli()),
        Integer.toString(PROMOTED_AT_ONCE),
        Long.toString(maxLength),
        FIELD);
  }

  private List<StreamMessage<String, String>> claimAbandonedAndReadNew(int max) {
    ClaimedMessages<String, String> claimed =
        redis
            .get()
            .xautoclaim(
                STREAM_KEY,
                XAutoClaimArgs.Builder.xautoclaim(consumer, visibilityTimeout, claimCursor.get())
                    .count(max));
    claimCursor.set(claimed.getId());
    List<StreamMessage<String, String>> messages = new ArrayList<>(claimed.getMessages());
    if (messages.size() < max) {
      messages.addAll(
          redis
              .get()
              .xreadgroup(consumer, XReadArgs.Builder.count(max - messages.size()), NEW_ENTRIES));
    }
    return messages;
  }

  private List<StreamMessage<String, String>> readBlocking(
      int max, long blockMillis, long remainingNanos) throws InterruptedException {
    if (!blockingRead.tryLock(remainingNanos, TimeUnit.NANOSECONDS)) {
      return List.of();
    }
    try {
      if (abandonedRead != null) {
        // A new command would queue behind the abandoned one and could time out waiting, so let
        // that one end first. What it read is pending for this consumer and comes back after the
        // visibility timeout.
        if (!finishesWithin(abandonedRead, remainingNanos)) {
          return List.of();
        }
        abandonedRead = null;
      }
      CompletableFuture<List<StreamMessage<String, String>>> read =
          blocking
              .get()
              .xreadgroup(consumer, XReadArgs.Builder.count(max).block(blockMillis), NEW_ENTRIES)
              .toCompletableFuture();
      try {
        return read.get(blockMillis + commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        abandonedRead = read;
        throw e;
      } catch (TimeoutException e) {
        abandonedRead = read;
        throw new RedisCommandTimeoutException("a blocking read of the delivery stream hung");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RedisException cause
            ? cause
            : new RedisException("a blocking read of the delivery stream failed", e.getCause());
      }
    } finally {
      blockingRead.unlock();
    }
  }

  /**
   * Turns entries into tasks that are due, remembering their leases; an entry not yet due goes back
   * to the sorted set, and one that does not hold a task is dropped. Each task once.
   */
  private List<DeliveryTask> accept(List<StreamMessage<String, String>> messages, Instant now) {
    Set<DeliveryTask> accepted = new LinkedHashSet<>();
    long takenAt = System.nanoTime();
    for (StreamMessage<String, String> message : messages) {
      Map<String, String> body = message.getBody();
      Optional<DeliveryTask> decoded = TaskCodec.decode(body == null ? null : body.get(FIELD));
      if (decoded.isEmpty()) {
        // Not written by this queue: there is nothing to deliver, and nobody else to read it.
        LOG.warn("Dropping delivery stream entry {}, which holds no task", message.getId());
        redis.get().xack(STREAM_KEY, GROUP, message.getId());
        redis.get().xdel(STREAM_KEY, message.getId());
        continue;
      }
      DeliveryTask task = decoded.get();
      if (task.dueAt().isAfter(now)) {
        redis.get().zadd(SCHEDULED_KEY, TaskCodec.score(task.dueAt()), TaskCodec.encode(task));
        redis.get().xack(STREAM_KEY, GROUP, message.getId());
        redis.get().xdel(STREAM_KEY, message.getId());
        continue;
      }
      leases.merge(
          task,
          new Lease(Set.of(message.getId()), takenAt),
          (held, fresh) -> held.with(message.getId(), takenAt));
      accepted.add(task);
    }
    return List.copyOf(accepted);
  }

  /**
   * Forgets leases of tasks taken long ago and never completed. Their entries were handed out again
   * after the visibility timeout anyway, so completing them late would only save a redelivery.
   */
  private void forgetStaleLeases() {
    long now = System.nanoTime();
    long due = nextLeaseSweepNanos.get();
    long timeout = visibilityTimeout.toNanos();
    if (now - due < 0 || !nextLeaseSweepNanos.compareAndSet(due, now + timeout)) {
      return;
    }
    leases.values().removeIf(lease -> now - lease.takenAtNanos() > 2 * timeout);
  }

  private void createGroup() {
    try {
      redis
          .get()
          .xgroupCreate(
              StreamOffset.from(STREAM_KEY, "0-0"), GROUP, new XGroupCreateArgs().mkstream(true));
    } catch (RedisCommandExecutionException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
        throw e;
      }
    }
  }

  private void logFailureOf(RedisFuture<?> write) {
    write.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            completionFailures.record(failure);
          }
        });
  }

  private static FailureLog failureLog(String what) {
    return new FailureLog(
        System.getLogger(RedisDeliveryQueue.class.getName()),
        System.Logger.Level.WARNING,
        what,
        RedisConnection.FAILURE_LOG_INTERVAL);
  }

  /** The stream or its group was deleted: missing when read, or deleted during a blocking read. */
  private static boolean isGroupGone(RedisCommandExecutionException e) {
    String message = e.getMessage();
    return message != null && (message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED"));
  }

  private static RedisUnavailableException unavailable(RedisException e) {
    return new RedisUnavailableException("Redis could not hand out delivery tasks", e);
  }

  private static boolean finishesWithin(CompletableFuture<?> future, long nanos)
      throws InterruptedException {
    try {
      future.get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  /**
   * Milliseconds to block: within the wait and a slice, and until the next scheduled task falls
   * due. A scheduled task already due stayed behind only because the stream is full, so waking up
   * for it would not help.
   */
  private static long blockMillis(long remainingNanos, long nextDueMillis, Instant now) {
    long millis = Math.min(LONGEST_BLOCK.toMillis(), Math.ceilDiv(remainingNanos, 1_000_000L));
    long untilNextDue = nextDueMillis - now.toEpochMilli();
    if (nextDueMillis >= 0 && untilNextDue > 0) {
      millis = Math.min(millis, untilNextDue);
    }
    return Math.max(1, millis);
  }

  /** The wait in nanoseconds, none if negative, and about three centuries at most. */
  private static long nanosWithin(Duration wait) {
    if (wait.isNegative()) {
      return 0;
    }
    return wait.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : wait.toNanos();
  }

  /** The stream entries behind one handed-out task (more than one if it was enqueued twice). */
  private record Lease(Set<String> entryIds, long takenAtNanos) {

    Lease with(String entryId, long takenAt) {
      Set<String> ids = new LinkedHashSet<>(entryIds);
      ids.add(entryId);
      return new Lease(Set.copyOf(ids), takenAt);
    }
  }
}

package io.triggers.adapters.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.triggers.core.model.EndpointId;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A delivery queue shared by all nodes, on a Redis Stream read through one consumer group, with a
 * sorted set for tasks due later; the design is told in {@code docs/redis-delivery-queue.md}.
 *
 * <p>{@link #enqueue} never waits for Redis: a task it could not add is logged and counted ({@link
 * #droppedTasks}), since the event store's sweep makes up for it. {@link #take} throws {@link
 * RedisUnavailableException} when Redis cannot answer. A task taken and not completed within the
 * visibility timeout, or enqueued twice, may be handed out again. Thread-safe.
 */
public final class RedisDeliveryQueue implements DeliveryQueue {

  static final String STREAM_KEY = "triggers:{deliveries}:stream";
  static final String SCHEDULED_KEY = "triggers:{deliveries}:scheduled";
  static final String HELD_BACK_KEY = "triggers:{deliveries}:held-back";
  static final String GROUP = "triggers-delivery";
  static final String FIELD = "task";

  static final LuaScript PROMOTE = LuaScript.fromResource("promote.lua");

  /** The longest a blocking read waits in Redis before {@link #take} looks around again. */
  static final Duration LONGEST_BLOCK = Duration.ofSeconds(1);

  /** Lettuce takes the streams to read as generic varargs, so the array is made once, here. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final StreamOffset<String>[] NEW_ENTRIES =
      new StreamOffset[] {StreamOffset.lastConsumed(STREAM_KEY)};

  private static final int PROMOTED_AT_ONCE = 500;

  /** How many completed tasks' entries make an acknowledgement of their own, without a take. */
  static final int COMPLETIONS_AT_ONCE = 256;

  private static final Logger LOG = LoggerFactory.getLogger(RedisDeliveryQueue.class);

  private final Supplier<RedisClusterCommands<String, String>> redis;
  private final Supplier<RedisClusterAsyncCommands<String, String>> pipelined;
  private final Clock clock;
  private final Consumer<String> consumer;
  private final Duration visibilityTimeout;
  private final long maxLength;
  private final FailureLog droppedTasks = failureLog("Enqueueing delivery tasks");

  /** Where the next XAUTOCLAIM scan of the pending entries starts; it wraps around to 0-0. */
  private final AtomicReference<String> claimCursor = new AtomicReference<>("0-0");

  private final EndpointHolds holds;
  private final TaskEnqueuing enqueuing;
  private final Leases leases;
  private final CompletedEntries completed;
  private final BlockingStreamReader blockingReader;

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
    this.clock = Objects.requireNonNull(clock, "clock");
    this.consumer = Consumer.from(GROUP, consumerName);
    this.visibilityTimeout = visibilityTimeout;
    this.maxLength = maxLength;
    this.holds = new EndpointHolds(pipelined, clock, failureLog("Holding back delivery tasks"));
    this.enqueuing = new TaskEnqueuing(pipelined, clock, maxLength, droppedTasks, holds);
    this.leases = new Leases(visibilityTimeout);
    this.completed = new CompletedEntries(pipelined);
    this.blockingReader =
        new BlockingStreamReader(
            Objects.requireNonNull(blocking, "blocking"),
            Objects.requireNonNull(commandTimeout, "commandTimeout"),
            consumer);
  }

  @Override
  public void enqueue(DeliveryTask task) {
    enqueueAll(List.of(task));
  }

  /**
   * Adds the tasks in one script run, so that an event's fan-out costs one round trip; for a while
   * after a run found the stream full, tasks due now are dropped without one ({@link
   * TaskEnqueuing}).
   */
  @Override
  public void enqueueAll(List<DeliveryTask> tasks) {
    if (!tasks.isEmpty()) {
      enqueuing.enqueue(tasks);
    }
  }

  /**
   * Records the hold here and, without waiting, in Redis, for every node's {@link #enqueueAll} to
   * read ({@link EndpointHolds}); each {@link #take} removes the holds that have ended.
   */
  @Override
  public void holdBack(EndpointId endpoint, Instant until) {
    holds.own(endpoint, until);
  }

  @Override
  public List<DeliveryTask> take(int max, Duration wait) throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    long waitNanos = DeliveryQueue.waitNanos(wait);
    long start = System.nanoTime();
    // On the same connection as the reads below, so an entry completed here is not claimed again.
    completed.acknowledge();
    leases.forgetStale();
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
            blockingReader.read(
                max, BlockingStreamReader.blockMillis(remaining, nextDue, now), remaining);
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
    leases.release(task).ifPresent(completed::add);
  }

  /**
   * How many enqueued tasks were not added since this queue was made, because the queue was full or
   * Redis failed; the sweep of due deliveries makes up for them.
   */
  public long droppedTasks() {
    return droppedTasks.total();
  }

  /** Returns the due time (epoch ms) of the earliest task still scheduled, or -1 if none is. */
  private long promoteDueTasks(Instant now) {
    return PROMOTE.<Long>run(
        redis.get(),
        ScriptOutputType.INTEGER,
        new String[] {SCHEDULED_KEY, STREAM_KEY, HELD_BACK_KEY},
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
      leases.add(task, message.getId(), takenAt);
      accepted.add(task);
    }
    return List.copyOf(accepted);
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

  static FailureLog failureLog(String what) {
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
}

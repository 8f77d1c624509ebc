package io.triggers.adapters.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Blocking reads of new entries of the delivery stream, one at a time on a connection of their own,
 * since a blocking command would stall every other command on the shared one.
 */
final class BlockingStreamReader {

  private final Supplier<RedisClusterAsyncCommands<String, String>> blocking;
  private final Duration commandTimeout;
  private final Consumer<String> consumer;

  /** Serializes the blocking reads, which share one connection. */
  private final ReentrantLock lock = new ReentrantLock();

  /** A blocking read an interrupted take left running; guarded by {@link #lock}. */
  private CompletableFuture<List<StreamMessage<String, String>>> abandonedRead;

  BlockingStreamReader(
      Supplier<RedisClusterAsyncCommands<String, String>> blocking,
      Duration commandTimeout,
      Consumer<String> consumer) {
    this.blocking = blocking;
    this.commandTimeout = commandTimeout;
    this.consumer = consumer;
  }

  /**
   * Reads up to {@code max} new entries, blocking in Redis up to {@code blockMillis}; returns none
   * if another read holds the connection for longer than {@code remainingNanos}.
   */
  List<StreamMessage<String, String>> read(int max, long blockMillis, long remainingNanos)
      throws InterruptedException {
    if (!lock.tryLock(remainingNanos, TimeUnit.NANOSECONDS)) {
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
              .xreadgroup(
                  consumer,
                  XReadArgs.Builder.count(max).block(blockMillis),
                  RedisDeliveryQueue.NEW_ENTRIES)
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
      lock.unlock();
    }
  }

  /**
   * Milliseconds to block: within the wait and a slice, and until the next scheduled task falls
   * due. A scheduled task already due stayed behind only because the stream is full, so waking up
   * for it would not help.
   */
  static long blockMillis(long remainingNanos, long nextDueMillis, Instant now) {
    long millis =
        Math.min(
            RedisDeliveryQueue.LONGEST_BLOCK.toMillis(), Math.ceilDiv(remainingNanos, 1_000_000L));
    long untilNextDue = nextDueMillis - now.toEpochMilli();
    if (nextDueMillis >= 0 && untilNextDue > 0) {
      millis = Math.min(millis, untilNextDue);
    }
    return Math.max(1, millis);
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
}

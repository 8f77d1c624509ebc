package io.triggers.adapters.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one port has lately seen of Redis. After a failure, callers use their fallback without
 * asking Redis, except for one caller per retry interval, so that a Redis that hangs costs one
 * command timeout per interval rather than one per request. The switch to the fallback and the
 * switch back are each logged once, not once per request. Thread-safe.
 */
final class RedisOutage {

  static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisOutage.class);

  private final String port;
  private final String fallback;
  private final LongSupplier nanoTime;
  private final AtomicBoolean ongoing = new AtomicBoolean();
  private final AtomicLong retryAtNanos = new AtomicLong();

  /**
   * {@code port} names what Redis does here and {@code fallback} what happens instead, for the log;
   * {@code nanoTime} measures the retry interval, as {@link System#nanoTime} does.
   */
  RedisOutage(String port, String fallback, LongSupplier nanoTime) {
    this.port = port;
    this.fallback = fallback;
    this.nanoTime = nanoTime;
  }

  /** Whether to ask Redis now: while it works, and once per retry interval while it fails. */
  boolean shouldAskRedis() {
    if (!ongoing.get()) {
      return true;
    }
    long now = nanoTime.getAsLong();
    long retryAt = retryAtNanos.get();
    return now - retryAt >= 0
        && retryAtNanos.compareAndSet(retryAt, now + RETRY_INTERVAL.toNanos());
  }

  /** Whether Redis failed and has not answered since. */
  boolean isOngoing() {
    return ongoing.get();
  }

  void failed(RedisUnavailableException failure) {
    retryAtNanos.set(nanoTime.getAsLong() + RETRY_INTERVAL.toNanos());
    if (ongoing.compareAndSet(false, true)) {
      LOG.warn(
          "Redis is unavailable for {}, so {} until it answers again: {}",
          port,
          fallback,
          failure.getCause() == null
              ? failure.getMessage()
              : failure.getMessage() + ": " + failure.getCause().getMessage());
    }
  }

  void succeeded() {
    if (ongoing.get() && ongoing.compareAndSet(true, false)) {
      LOG.info("Redis answers again for {}", port);
    }
  }
}

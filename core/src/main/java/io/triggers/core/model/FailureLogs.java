package io.triggers.core.model;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One {@link FailureLog} per key (an endpoint, a route), so that failures of one key are throttled
 * alone and a flood on one key never hides the first failure of another. Each key logs as "{@code
 * what.apply(key)} failed ...".
 *
 * <p>At most {@code maxKeys} keys are remembered; past that the one unused longest is forgotten
 * with its unreported count, so that a stream of ever new keys cannot take the memory. A forgotten
 * key that fails again is logged in full again. Thread-safe.
 *
 * @param <K> the key, with value equality
 */
public final class FailureLogs<K> {

  private final Logger logger;
  private final Level level;
  private final Function<K, String> what;
  private final Duration interval;
  private final LongSupplier nanoTime;
  private final int maxKeys;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<K, FailureLog> logs;

  /**
   * Logs to {@code logger} at {@code level}, each key at most once per {@code interval} as measured
   * by {@code nanoTime} (as {@link System#nanoTime} does), remembering at most {@code maxKeys}
   * keys.
   */
  public FailureLogs(
      Logger logger,
      Level level,
      Function<K, String> what,
      Duration interval,
      LongSupplier nanoTime,
      int maxKeys) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.level = Objects.requireNonNull(level, "level");
    this.what = Objects.requireNonNull(what, "what");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive");
    }
    this.maxKeys = maxKeys;
    // In access order, so that the eldest entry is the key unused longest.
    this.logs =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, FailureLog> eldest) {
            return size() > FailureLogs.this.maxKeys;
          }
        };
  }

  /** Records a failure of {@code key} known by a short text, which must hold no secret. */
  public void record(K key, String reason) {
    Objects.requireNonNull(reason, "reason");
    logOf(key).record(reason);
  }

  /**
   * Records a failure of {@code key} told by {@code reason}, as {@link FailureLog#record(String,
   * Throwable)} does: {@code failure}'s stack trace goes with the first line.
   */
  public void record(K key, String reason, Throwable failure) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(failure, "failure");
    logOf(key).record(reason, failure);
  }

  /** How many keys are remembered now. */
  public int size() {
    lock.lock();
    try {
      return logs.size();
    } finally {
      lock.unlock();
    }
  }

  private FailureLog logOf(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      return logs.computeIfAbsent(key, this::newLog);
    } finally {
      lock.unlock();
    }
  }

  private FailureLog newLog(K key) {
    return new FailureLog(logger, level, what.apply(key), interval, nanoTime);
  }
}

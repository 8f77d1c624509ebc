package io.triggers.core.model;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Logs a failure that may repeat many times a second without flooding the log: the first in full,
 * with its stack trace, then at most one line per interval saying how often it failed since the
 * last line, with the latest reason ("Serving requests failed 532 times in the last 60 s: ...").
 * After an interval without failures the next one is logged in full again. Lines are written when a
 * failure is recorded, so the count of a burst that stops is told with the next failure.
 *
 * <p>Reasons are logged as given: callers pass texts without keys or payloads. Thread-safe; the
 * logging itself happens outside the lock.
 */
public final class FailureLog {

  private final Logger logger;
  private final Level level;
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoTime;

  private final ReentrantLock lock = new ReentrantLock();
  private long total;
  private long unreported;
  private boolean loggedBefore;
  private long lastLineNanos;

  /**
   * Logs to {@code logger} at {@code level}, as "{@code what} failed ...", at most once per {@code
   * interval} as measured by {@code nanoTime} (as {@link System#nanoTime} does).
   */
  public FailureLog(
      Logger logger, Level level, String what, Duration interval, LongSupplier nanoTime) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.level = Objects.requireNonNull(level, "level");
    this.what = Objects.requireNonNull(what, "what");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    this.intervalNanos = interval.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** As the full constructor, timed by {@link System#nanoTime}. */
  public FailureLog(Logger logger, Level level, String what, Duration interval) {
    this(logger, level, what, interval, System::nanoTime);
  }

  /** Records a failure whose text is its reason, its stack trace logged with the first line. */
  public void record(Throwable failure) {
    Throwable cause = unwrapped(failure);
    record(cause.toString(), cause);
  }

  /** Records a failure known by a short text only. */
  public void record(String reason) {
    log(reason, null);
  }

  /**
   * Records a failure told by {@code reason} (which should name {@code failure} and say what was
   * going on), logging {@code failure}'s stack trace with the first line.
   */
  public void record(String reason, Throwable failure) {
    log(reason, unwrapped(failure));
  }

  /** How many failures were recorded in all. */
  public long total() {
    lock.lock();
    try {
      return total;
    } finally {
      lock.unlock();
    }
  }

  private void log(String reason, Throwable failure) {
    long now = nanoTime.getAsLong();
    long count;
    long elapsedNanos;
    lock.lock();
    try {
      total++;
      elapsedNanos = now - lastLineNanos;
      if (loggedBefore && elapsedNanos < intervalNanos) {
        unreported++;
        return;
      }
      count = unreported + 1;
      unreported = 0;
      loggedBefore = true;
      lastLineNanos = now;
    } finally {
      lock.unlock();
    }
    if (count == 1) {
      if (failure == null) {
        logger.log(level, what + " failed: " + reason);
      } else {
        logger.log(level, what + " failed: " + reason, failure);
      }
    } else {
      logger.log(
          level,
          what
              + " failed "
              + count
              + " times in the last "
              + Duration.ofNanos(elapsedNanos).toSeconds()
              + " s: "
              + reason);
    }
  }

  private static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}

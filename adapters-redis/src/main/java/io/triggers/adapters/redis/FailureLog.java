package io.triggers.adapters.redis;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts failures that are not thrown (queue writes, releases) and logs them without flooding the
 * log: the first one, then at most one line per interval with the count since the last line.
 */
final class FailureLog {

  private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final Logger logger;
  private final String what;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong unreported = new AtomicLong();
  private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

  FailureLog(Logger logger, String what) {
    this.logger = logger;
    this.what = what;
  }

  /** Counts one failure; {@code reason} is a short text without secrets, logged now and then. */
  void record(String reason) {
    total.incrementAndGet();
    unreported.incrementAndGet();
    long due = nextLogNanos.get();
    long now = System.nanoTime();
    if (now - due >= 0 && nextLogNanos.compareAndSet(due, now + INTERVAL_NANOS)) {
      logger.warn("{} failed {} time(s), lately: {}", what, unreported.getAndSet(0), reason);
    }
  }

  void record(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    record(cause.toString());
  }

  long total() {
    return total.get();
  }
}

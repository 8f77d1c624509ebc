package io.triggers.adapters.metrics;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A value read from the store on a thread of its own every interval, rather than on each scrape,
 * since a reading may cost the store a query. A failed reading keeps the last value and counts in
 * {@code failures}. Thread-safe.
 */
final class PeriodicReading<T> implements AutoCloseable {

  private final Supplier<T> read;
  private final Counter failures;
  private final ScheduledExecutorService sampler;
  private volatile T latest;

  private PeriodicReading(String thread, T initial, Supplier<T> read, Counter failures) {
    this.read = read;
    this.failures = failures;
    this.latest = initial;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(thread).daemon().factory());
  }

  /** Reads at once, then every {@code interval}, on a daemon thread named {@code thread}. */
  static <T> PeriodicReading<T> start(
      String thread, T initial, Supplier<T> read, Counter failures, Duration interval) {
    if (interval.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("the interval must be at least a millisecond");
    }
    PeriodicReading<T> reading = new PeriodicReading<>(thread, initial, read, failures);
    reading.sampler.scheduleWithFixedDelay(
        reading::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return reading;
  }

  /** Reads once; a failure keeps the last reading. */
  void sample() {
    try {
      latest = read.get();
    } catch (RuntimeException e) {
      // The store's own health check and logs say why; the gauges keep their last values.
      failures.increment();
    }
  }

  /** The last reading taken. */
  T latest() {
    return latest;
  }

  /** Stops reading; the last reading stays. */
  @Override
  public void close() {
    sampler.shutdownNow();
  }
}

package io.triggers.adapters.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryBacklog.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The delivery backlog as gauges ({@code triggers_delivery_backlog_due}, {@code _retrying}, {@code
 * _failed}, {@code _held}, {@code _oldest_due_age_seconds}), from a snapshot sampled on a thread of
 * its own every interval rather than on each scrape, since a snapshot may cost the store a query. A
 * failed sample keeps the last reading and counts in {@code
 * triggers_delivery_backlog_sample_failures_total}; the oldest due age goes on growing from the
 * last reading meanwhile. Thread-safe.
 */
public final class BacklogGauges implements AutoCloseable {

  /** How often the backlog is read unless told otherwise: a few seconds, as scrapes come. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  static final String PREFIX = "triggers.delivery.backlog.";

  private final Clock clock;
  private final PeriodicReading<Snapshot> reading;

  private BacklogGauges(
      DeliveryBacklog backlog, Clock clock, MeterRegistry registry, Duration interval) {
    this.clock = clock;
    Counter failures =
        Counter.builder(PREFIX + "sample.failures")
            .description("backlog readings that failed, the store being unavailable")
            .register(registry);
    this.reading =
        PeriodicReading.start(
            "triggers-backlog-gauges",
            Snapshot.empty(),
            () -> backlog.snapshot(clock.instant()),
            failures,
            interval);
    gauge(registry, "due", "scheduled deliveries whose attempt is due now", Snapshot::due);
    gauge(registry, "retrying", "deliveries waiting to be tried again", Snapshot::retrying);
    gauge(registry, "failed", "deliveries that gave up, until redelivered", Snapshot::failed);
    gauge(registry, "held", "deliveries kept for a paused or disabled endpoint", Snapshot::held);
    Gauge.builder(PREFIX + "oldest.due.age", this, gauges -> gauges.oldestDueAgeSeconds())
        .description("how long the longest-waiting due delivery has been due")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Registers the gauges on {@code registry} and starts sampling {@code backlog} at once, then
   * every {@code interval}.
   */
  public static BacklogGauges start(
      DeliveryBacklog backlog, Clock clock, MeterRegistry registry, Duration interval) {
    Objects.requireNonNull(backlog, "backlog");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    return new BacklogGauges(backlog, clock, registry, interval);
  }

  /** Reads the backlog once; a failure keeps the last reading. */
  void sample() {
    reading.sample();
  }

  /** The last reading taken. */
  Snapshot latest() {
    return reading.latest();
  }

  private double oldestDueAgeSeconds() {
    return latest().oldestDueAge(clock.instant()).toMillis() / 1_000.0;
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<Snapshot> value) {
    Gauge.builder(PREFIX + name, this, gauges -> value.applyAsDouble(gauges.latest()))
        .description(description)
        .register(registry);
  }

  /** Stops sampling; the gauges keep the last reading. */
  @Override
  public void close() {
    reading.close();
  }
}

package io.triggers.adapters.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.triggers.core.model.InboxState;
import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.port.out.LeaseBacklog.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The inbox leases as gauges: {@code triggers_inbox_leased_events}, the events leases hold now, and
 * {@code triggers_inbox_dead_events}, those that used up their leases and wait for a redelivery or
 * an ack. Sampled every interval, as {@link BacklogGauges} are; a failed sample keeps the last
 * reading and counts in {@code triggers_inbox_lease_sample_failures_total}. Thread-safe.
 */
public final class LeaseGauges implements AutoCloseable {

  static final String PREFIX = "triggers.inbox.";

  private final PeriodicReading<Snapshot> reading;

  private LeaseGauges(
      LeaseBacklog leases, int maxLeases, Clock clock, MeterRegistry registry, Duration interval) {
    Counter failures =
        Counter.builder(PREFIX + "lease.sample.failures")
            .description("lease readings that failed, the store being unavailable")
            .register(registry);
    this.reading =
        PeriodicReading.start(
            "triggers-lease-gauges",
            Snapshot.empty(),
            () -> leases.snapshot(clock.instant(), maxLeases),
            failures,
            interval);
    gauge(registry, "leased.events", "inbox events a lease holds now", Snapshot::leased);
    gauge(registry, "dead.events", "inbox events that used up their leases", Snapshot::dead);
  }

  /**
   * Registers the gauges on {@code registry} and starts sampling {@code leases}, for events dead
   * after {@code maxLeases} leases, at once and then every {@code interval}.
   */
  public static LeaseGauges start(
      LeaseBacklog leases, int maxLeases, Clock clock, MeterRegistry registry, Duration interval) {
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    return new LeaseGauges(
        leases, InboxState.requireMaxLeases(maxLeases), clock, registry, interval);
  }

  /** Reads the leases once; a failure keeps the last reading. */
  void sample() {
    reading.sample();
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<Snapshot> value) {
    Gauge.builder(PREFIX + name, reading, read -> value.applyAsDouble(read.latest()))
        .description(description)
        .register(registry);
  }

  /** Stops sampling; the gauges keep the last reading. */
  @Override
  public void close() {
    reading.close();
  }
}

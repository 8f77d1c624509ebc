package io.triggers.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.port.out.LeaseBacklog.Snapshot;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseGaugesTest {

  /** Longer than any test, so that only the test's own calls of sample() read the leases. */
  private static final Duration RARELY = Duration.ofHours(1);

  private final MutableClock clock = new MutableClock();
  private final PrometheusMeterRegistry registry = PrometheusRegistry.create("test");
  private final AtomicReference<Snapshot> stored = new AtomicReference<>(Snapshot.empty());
  private final AtomicInteger askedMaxLeases = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final LeaseBacklog leases =
      (now, maxLeases) -> {
        askedMaxLeases.set(maxLeases);
        if (failure.get() != null) {
          throw failure.get();
        }
        return stored.get();
      };
  private LeaseGauges gauges;

  @AfterEach
  void stop() {
    if (gauges != null) {
      gauges.close();
    }
  }

  @Test
  void exposesTheSampledLeasesCountedWithTheConfiguredCap() {
    // given
    stored.set(new Snapshot(12, 3));
    gauges = LeaseGauges.start(leases, 7, clock, registry, RARELY);

    // when
    gauges.sample();

    // then
    assertThat(registry.scrape())
        .contains("triggers_inbox_leased_events 12")
        .contains("triggers_inbox_dead_events 3");
    assertThat(askedMaxLeases.get()).isEqualTo(7);
  }

  @Test
  void aFailedSampleKeepsTheLastReadingAndIsCounted() {
    // given
    stored.set(new Snapshot(5, 1));
    gauges = LeaseGauges.start(leases, 10, clock, registry, RARELY);
    gauges.sample();
    failure.set(new StorageUnavailableException("the database is down", null));

    // when
    gauges.sample();

    // then
    assertThat(registry.scrape())
        .contains("triggers_inbox_leased_events 5")
        .containsPattern("triggers_inbox_lease_sample_failures_total [12]\\.0");
  }

  @Test
  void refusesALeaseCapBelowOne() {
    assertThatThrownBy(() -> LeaseGauges.start(leases, 0, clock, registry, RARELY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

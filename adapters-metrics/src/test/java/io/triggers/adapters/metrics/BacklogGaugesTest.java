package io.triggers.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryBacklog.Snapshot;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BacklogGaugesTest {

  /** Longer than any test, so that only the test's own calls of sample() read the backlog. */
  private static final Duration RARELY = Duration.ofHours(1);

  private final MutableClock clock = new MutableClock();
  private final PrometheusMeterRegistry registry = PrometheusRegistry.create("test");
  private final AtomicReference<Snapshot> stored = new AtomicReference<>(Snapshot.empty());
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final DeliveryBacklog backlog =
      now -> {
        reads.incrementAndGet();
        if (failure.get() != null) {
          throw failure.get();
        }
        return stored.get();
      };
  private BacklogGauges gauges;

  @AfterEach
  void stop() {
    if (gauges != null) {
      gauges.close();
    }
  }

  @Test
  void exposesTheSampledBacklog() {
    // given
    Instant oldest = clock.instant().minusSeconds(42);
    stored.set(new Snapshot(7, 3, 2, 4, Optional.of(oldest)));
    gauges = BacklogGauges.start(backlog, clock, registry, RARELY);

    // when
    gauges.sample();

    // then
    assertThat(registry.scrape())
        .contains("triggers_delivery_backlog_due 7")
        .contains("triggers_delivery_backlog_retrying 3")
        .contains("triggers_delivery_backlog_failed 2")
        .contains("triggers_delivery_backlog_held 4")
        .contains("triggers_delivery_backlog_oldest_due_age_seconds 42");
  }

  @Test
  void scrapingDoesNotReadTheBacklog() {
    // given
    gauges = BacklogGauges.start(backlog, clock, registry, RARELY);
    gauges.sample();
    int before = reads.get();

    // when
    for (int i = 0; i < 10; i++) {
      registry.scrape();
    }

    // then
    assertThat(reads.get()).isLessThanOrEqualTo(before + 1);
  }

  @Test
  void theOldestDueAgeGrowsBetweenSamples() {
    // given
    stored.set(new Snapshot(1, 0, 0, 0, Optional.of(clock.instant())));
    gauges = BacklogGauges.start(backlog, clock, registry, RARELY);
    gauges.sample();

    // when
    clock.advance(Duration.ofSeconds(30));

    // then
    assertThat(registry.scrape()).contains("triggers_delivery_backlog_oldest_due_age_seconds 30");
  }

  @Test
  void aFailedSampleKeepsTheLastReadingAndIsCounted() {
    // given
    stored.set(new Snapshot(5, 0, 0, 0, Optional.of(clock.instant())));
    gauges = BacklogGauges.start(backlog, clock, registry, RARELY);
    gauges.sample();
    failure.set(new StorageUnavailableException("the database is down", null));

    // when
    gauges.sample();

    // then
    assertThat(gauges.latest().due()).isEqualTo(5);
    assertThat(registry.scrape())
        .contains("triggers_delivery_backlog_due 5")
        .containsPattern("triggers_delivery_backlog_sample_failures_total [12]\\.0");
  }

  @Test
  void samplesAtOnceWhenStarted() throws Exception {
    // given
    stored.set(new Snapshot(4, 0, 0, 0, Optional.of(clock.instant())));

    // when
    gauges = BacklogGauges.start(backlog, clock, registry, RARELY);

    // then
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (gauges.latest().due() != 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(gauges.latest().due()).isEqualTo(4);
  }
}

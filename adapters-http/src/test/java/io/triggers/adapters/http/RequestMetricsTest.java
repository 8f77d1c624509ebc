package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RequestMetrics metrics = new RequestMetrics(registry);

  @Test
  void timesEachRequestInAHistogramWithTheFixedBuckets() {
    // when
    metrics.record("GET", "/api/inbox", 200, TimeUnit.MILLISECONDS.toNanos(7));
    metrics.record("GET", "/api/inbox", 200, TimeUnit.MILLISECONDS.toNanos(700));

    // then
    Timer timer =
        registry
            .get(RequestMetrics.NAME)
            .tags("method", "GET", "route", "/api/inbox", "status", "200")
            .timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.takeSnapshot().histogramCounts()).hasSize(RequestMetrics.BUCKETS.length);
  }

  @Test
  void keepsMethodsRoutesAndStatusesApart() {
    // when
    metrics.record("GET", "/api/events/{id}", 200, 1);
    metrics.record("DELETE", "/api/events/{id}", 200, 1);
    metrics.record("GET", "/api/events/{id}", 404, 1);
    metrics.record("GET", "/api/inbox", 200, 1);

    // then
    assertThat(registry.find(RequestMetrics.NAME).timers()).hasSize(4);
  }

  @Test
  void foldsUnknownMethodsAndImpossibleStatusesIntoFixedValues() {
    // when
    metrics.record("BREW", "unmatched", 418, 1);
    metrics.record("PROPFIND", "unmatched", 418, 1);
    metrics.record("GET", "unmatched", 999, 1);

    // then
    assertThat(
            registry
                .get(RequestMetrics.NAME)
                .tags("method", "OTHER", "status", "418")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(RequestMetrics.NAME)
                .tags("method", "GET", "status", "other")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.find(RequestMetrics.NAME).timers()).hasSize(2);
  }
}

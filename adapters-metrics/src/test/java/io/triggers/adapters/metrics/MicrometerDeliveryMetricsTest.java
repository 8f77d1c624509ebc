package io.triggers.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.testing.DeliveryMetricsContract;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MicrometerDeliveryMetricsTest extends DeliveryMetricsContract {

  private PrometheusMeterRegistry registry;

  @Override
  protected DeliveryMetrics newMetrics() {
    registry = PrometheusRegistry.create("test");
    return new MicrometerDeliveryMetrics(registry);
  }

  @Override
  protected long attempts(Class<? extends AttemptResult> kind) {
    String outcome = kind.getSimpleName().toLowerCase(Locale.ROOT);
    return (long)
        registry.get(MicrometerDeliveryMetrics.ATTEMPTS).tag("outcome", outcome).counter().count();
  }

  @Override
  protected long deliveries() {
    return registry.get(MicrometerDeliveryMetrics.LATENCY).timer().count();
  }

  @Test
  void exposesTheLatencyAsAHistogramWithFixedBuckets() {
    // when
    metrics.delivered(Duration.ofMillis(40));
    metrics.delivered(Duration.ofSeconds(3));

    // then
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("triggers_delivery_latency_seconds_bucket{le=\"0.05\"} 1")
        .contains("triggers_delivery_latency_seconds_bucket{le=\"5.0\"} 2")
        .contains("triggers_delivery_latency_seconds_bucket{le=\"+Inf\"} 2")
        .contains("triggers_delivery_latency_seconds_count 2");
    assertThat(
            scrape
                .lines()
                .filter(line -> line.startsWith("triggers_delivery_latency_seconds_bucket")))
        .hasSize(MicrometerDeliveryMetrics.LATENCY_BUCKETS.length + 1);
  }

  @Test
  void exposesEveryOutcomeFromTheStartSoThatRatesNeverMissASeries() {
    assertThat(registry.scrape())
        .contains("triggers_delivery_attempts_total{outcome=\"delivered\"} 0")
        .contains("triggers_delivery_attempts_total{outcome=\"retrying\"} 0")
        .contains("triggers_delivery_attempts_total{outcome=\"failed\"} 0")
        .contains("triggers_delivery_attempts_total{outcome=\"abandoned\"} 0");
  }
}

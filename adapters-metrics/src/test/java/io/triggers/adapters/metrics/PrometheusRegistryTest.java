package io.triggers.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class PrometheusRegistryTest {

  private final PrometheusMeterRegistry registry = PrometheusRegistry.create("1.2.3");

  @Test
  void exposesTheBuildVersionAsAnInfoSeries() {
    assertThat(registry.scrape()).contains("triggers_build_info{version=\"1.2.3\"} 1");
  }

  @Test
  void exposesTheProcessCpuTimeInSecondsOnly() {
    String scrape = registry.scrape();

    assertThat(scrape).contains("process_cpu_seconds_total ").doesNotContain("cpu_time_ns");
  }

  @Test
  void exposesTheJvmsMeters() {
    assertThat(registry.scrape())
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads ")
        .contains("process_uptime_seconds ");
  }

  @Test
  void namesNoSeriesInNanoseconds() {
    assertThat(registry.scrape().lines().filter(line -> !line.startsWith("#")))
        .noneMatch(line -> line.contains("_ns_") || line.contains("_ns{") || line.contains("_ns "));
  }
}

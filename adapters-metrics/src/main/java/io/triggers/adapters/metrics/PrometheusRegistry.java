package io.triggers.adapters.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Objects;

/**
 * The Prometheus registry of one server, holding the JVM's meters and {@code
 * triggers_build_info{version}} from the start. The process's CPU time is exposed in seconds as
 * {@code process_cpu_seconds_total}, as Prometheus's own clients name it, instead of Micrometer's
 * {@code process_cpu_time_ns_total}.
 */
public final class PrometheusRegistry {

  static final String CPU_TIME_IN_NANOSECONDS = "process.cpu.time";

  /** Held here, since a counter keeps only a weak reference to what it reads. */
  private static final OperatingSystemMXBean SYSTEM = ManagementFactory.getOperatingSystemMXBean();

  private PrometheusRegistry() {}

  /** A registry with the JVM's meters and the build information of {@code version}. */
  public static PrometheusMeterRegistry create(String version) {
    Objects.requireNonNull(version, "version");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.denyNameStartsWith(CPU_TIME_IN_NANOSECONDS));
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (SYSTEM instanceof com.sun.management.OperatingSystemMXBean withCpuTime) {
      FunctionCounter.builder(
              "process.cpu",
              withCpuTime,
              bean -> Math.max(0, bean.getProcessCpuTime()) / 1_000_000_000.0)
          .description("CPU time the process has used")
          .baseUnit("seconds")
          .register(registry);
    }
    Gauge.builder("triggers.build.info", () -> 1)
        .description("the version of Triggers this server runs, as its label; always 1")
        .tag("version", version)
        .register(registry);
    return registry;
  }
}

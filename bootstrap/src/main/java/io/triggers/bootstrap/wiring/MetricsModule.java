package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.triggers.adapters.metrics.BacklogGauges;
import io.triggers.adapters.metrics.LeaseGauges;
import io.triggers.adapters.metrics.MicrometerDeliveryMetrics;
import io.triggers.adapters.metrics.PrometheusRegistry;
import io.triggers.adapters.redis.RedisConnection;
import io.triggers.adapters.redis.RedisFailOpenDeduplicator;
import io.triggers.adapters.redis.RedisFallbackAdmission;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.delivery.WebhookDispatcher;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.port.out.LeaseBacklog;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * One Prometheus registry, scraped at {@code /metrics}: the JVM's and the build's meters, and every
 * adapter's own, registered as each is built; plus the meters that read several parts of the
 * server, which are complete once {@link Meters} is.
 */
@Module
interface MetricsModule {

  @Provides
  @Singleton
  static PrometheusMeterRegistry prometheusMeterRegistry() {
    String version = MetricsModule.class.getPackage().getImplementationVersion();
    return PrometheusRegistry.create(version == null ? "dev" : version);
  }

  @Provides
  @Singleton
  static DeliveryMetrics deliveryMetrics(PrometheusMeterRegistry registry) {
    return new MicrometerDeliveryMetrics(registry);
  }

  /**
   * The backlog and lease gauges, sampled from the store every few seconds; {@code
   * triggers_redis_degraded}: 1 while a node in a cluster does without Redis (not connected, or a
   * port on its fallback), else 0, and always 0 without Redis; and {@code
   * triggers_delivery_endpoints_backed_off}: how many endpoints this node leaves alone for a
   * cooldown, their attempts having failed in a row.
   */
  @Provides
  @Singleton
  static Meters meters(
      PrometheusMeterRegistry registry,
      DeliveryBacklog backlog,
      LeaseBacklog leases,
      Settings settings,
      Clock clock,
      Resources resources,
      Optional<RedisConnection> redis,
      Admission admission,
      Deduplicator deduplicator,
      WebhookDispatcher dispatcher) {
    resources.register(
        BacklogGauges.start(backlog, clock, registry, BacklogGauges.DEFAULT_INTERVAL));
    resources.register(
        LeaseGauges.start(
            leases, settings.inboxMaxLeases(), clock, registry, BacklogGauges.DEFAULT_INTERVAL));
    Gauge.builder(
            "triggers.redis.degraded", () -> redisDegraded(redis, admission, deduplicator) ? 1 : 0)
        .description("1 while this node does without Redis, on its in-process fallbacks")
        .register(registry);
    Gauge.builder("triggers.delivery.endpoints.backed.off", dispatcher::endpointsBackedOff)
        .description("Endpoints this node makes no attempt to for a cooldown, having failed")
        .register(registry);
    return new Meters(registry);
  }

  private static boolean redisDegraded(
      Optional<RedisConnection> redis, Admission admission, Deduplicator deduplicator) {
    if (redis.isEmpty()) {
      return false;
    }
    return !redis.get().isConnected()
        || (admission instanceof RedisFallbackAdmission shared && shared.isFallingBack())
        || (deduplicator instanceof RedisFailOpenDeduplicator dedup && dedup.isFallingBack());
  }
}

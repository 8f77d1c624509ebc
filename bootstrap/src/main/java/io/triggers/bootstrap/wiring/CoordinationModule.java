package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.adapters.postgres.PostgresDatabase;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.LocalOrganizationChanges;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.memory.SystemHostResolver;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.HostResolver;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.RateLimiter;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Rate limiting, the dedup short-cut and the delivery queue, in process on a single node. */
@Module
interface CoordinationModule {

  /** Dedup claims kept in memory; beyond this the database's unique index answers alone. */
  int DEDUP_CACHE_ENTRIES = 1_000_000;

  /** Delivery tasks held in memory; beyond this the sweep of due deliveries catches up. */
  int DELIVERY_QUEUE_CAPACITY = 100_000;

  Duration DELIVERY_VISIBILITY_TIMEOUT = Duration.ofMinutes(1);

  @Provides
  @Singleton
  static RateLimiter rateLimiter(Clock clock) {
    return new LocalRateLimiter(clock);
  }

  @Provides
  @Singleton
  static Deduplicator deduplicator(Clock clock, Settings settings) {
    return new InMemoryDeduplicator(clock, settings.retention(), DEDUP_CACHE_ENTRIES);
  }

  @Provides
  @Singleton
  static DeliveryQueue deliveryQueue(Clock clock) {
    return new InMemoryDeliveryQueue(clock, DELIVERY_QUEUE_CAPACITY, DELIVERY_VISIBILITY_TIMEOUT);
  }

  @Provides
  @Singleton
  static OrganizationChanges organizationChanges() {
    return new LocalOrganizationChanges();
  }

  @Provides
  @Singleton
  static IdGenerator idGenerator(Clock clock) {
    return new SecureIdGenerator(clock);
  }

  @Provides
  @Singleton
  static HostResolver hostResolver() {
    return new SystemHostResolver();
  }

  @Provides
  static List<HealthCheck> healthChecks(PostgresDatabase database) {
    return List.of(database.healthCheck());
  }
}

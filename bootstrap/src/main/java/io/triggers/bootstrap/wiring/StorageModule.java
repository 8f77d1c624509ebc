package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.adapters.postgres.PostgresDatabase;
import io.triggers.adapters.postgres.PostgresSettings;
import io.triggers.adapters.postgres.embedded.DataDirectoryException;
import io.triggers.adapters.postgres.embedded.EmbeddedPostgresServer;
import io.triggers.adapters.postgres.embedded.UnsupportedPlatformException;
import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.memory.CachingOrganizations;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.Organizations;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** PostgreSQL, embedded or external: the durable home of organizations, events and deliveries. */
@Module
interface StorageModule {

  @Provides
  @Singleton
  static Mode mode(Settings settings) {
    return Mode.of(settings);
  }

  /**
   * The PostgreSQL this process runs in embedded mode, started once the data directory is locked,
   * so that a second server on the same directory is refused before it touches the database.
   */
  @Provides
  @Singleton
  static Optional<EmbeddedPostgresServer> embeddedPostgres(
      Mode mode, Settings settings, Resources resources) {
    if (mode != Mode.EMBEDDED) {
      return Optional.empty();
    }
    resources.register(DataDirectoryLock.acquire(settings.dataDir()));
    try {
      return Optional.of(resources.register(EmbeddedPostgresServer.start(settings.dataDir())));
    } catch (DataDirectoryException | UnsupportedPlatformException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  @Provides
  @Singleton
  static PostgresDatabase database(
      Optional<EmbeddedPostgresServer> embedded, Settings settings, Resources resources) {
    PostgresSettings postgres;
    if (embedded.isPresent()) {
      EmbeddedPostgresServer server = embedded.get();
      postgres =
          new PostgresSettings(
              server.jdbcUrl(),
              server.user(),
              server.password(),
              PostgresSettings.DEFAULT_MAX_POOL_SIZE,
              PostgresSettings.DEFAULT_MAX_BATCH_SIZE,
              PostgresSettings.DEFAULT_MAX_LINGER);
    } else {
      try {
        postgres = PostgresSettings.fromUrl(settings.databaseUrl().orElseThrow());
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("TRIGGERS_DATABASE_URL: " + e.getMessage());
      }
    }
    return resources.register(PostgresDatabase.start(postgres));
  }

  @Provides
  @Singleton
  static EventLog eventLog(PostgresDatabase database) {
    return database.events();
  }

  @Provides
  @Singleton
  static Inbox inbox(PostgresDatabase database) {
    return database.inbox();
  }

  @Provides
  @Singleton
  static DeliveryLedger deliveryLedger(PostgresDatabase database) {
    return database.deliveries();
  }

  /**
   * How long a node may trust a cached key or webhook that another node changed, should the news of
   * the change be lost.
   */
  Duration ORGANIZATION_CACHE_TTL = Duration.ofMinutes(1);

  int ORGANIZATION_CACHE_ENTRIES = 100_000;

  @Provides
  @Singleton
  static CachingOrganizations cachingOrganizations(
      PostgresDatabase database, OrganizationChanges changes, Clock clock) {
    return new CachingOrganizations(
        database.organizations(),
        changes,
        clock,
        ORGANIZATION_CACHE_TTL,
        ORGANIZATION_CACHE_ENTRIES);
  }

  @Provides
  @Singleton
  static Organizations organizations(CachingOrganizations organizations) {
    return organizations;
  }
}

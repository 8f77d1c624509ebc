package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.triggers.adapters.postgres.PostgresDatabase;
import io.triggers.adapters.postgres.PostgresSettings;
import io.triggers.adapters.postgres.embedded.DataDirectoryException;
import io.triggers.adapters.postgres.embedded.EmbeddedPostgresServer;
import io.triggers.adapters.postgres.embedded.UnsupportedPlatformException;
import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.embed.TriggersDefaults;
import io.triggers.core.memory.CachingOrganizations;
import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.Organizations;
import jakarta.inject.Singleton;
import java.time.Clock;
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
    if (settings.databasePoolSize() > EMBEDDED_MAX_POOL_SIZE) {
      throw new ConfigurationException(
          "TRIGGERS_DATABASE_POOL_SIZE is at most "
              + EMBEDDED_MAX_POOL_SIZE
              + " with the embedded PostgreSQL; larger pools need TRIGGERS_DATABASE_URL");
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
      Optional<EmbeddedPostgresServer> embedded,
      Settings settings,
      Resources resources,
      PrometheusMeterRegistry meters) {
    return resources.register(PostgresDatabase.start(postgresSettings(embedded, settings), meters));
  }

  /**
   * Connections the embedded PostgreSQL leaves to the pool: it accepts 100, a few of them kept for
   * superusers, one for the availability probe and some for an operator's {@code psql} or {@code
   * pg_dump}.
   */
  int EMBEDDED_MAX_POOL_SIZE = 90;

  /** How to reach the embedded PostgreSQL, or the one the database URL names. */
  static PostgresSettings postgresSettings(
      Optional<EmbeddedPostgresServer> embedded, Settings settings) {
    if (embedded.isPresent()) {
      EmbeddedPostgresServer server = embedded.get();
      return new PostgresSettings(
          server.jdbcUrl(),
          server.user(),
          server.password(),
          settings.databasePoolSize(),
          PostgresSettings.DEFAULT_MAX_BATCH_SIZE,
          PostgresSettings.DEFAULT_MAX_LINGER);
    }
    try {
      return PostgresSettings.fromUrl(settings.databaseUrl().orElseThrow())
          .withMaxPoolSize(settings.databasePoolSize());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("TRIGGERS_DATABASE_URL: " + e.getMessage());
    }
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
  static InboxLeases inboxLeases(PostgresDatabase database) {
    return database.leases();
  }

  @Provides
  @Singleton
  static DeliveryLedger deliveryLedger(PostgresDatabase database) {
    return database.deliveries();
  }

  @Provides
  @Singleton
  static AttemptLog attemptLog(PostgresDatabase database) {
    return database.attempts();
  }

  @Provides
  @Singleton
  static Endpoints endpoints(PostgresDatabase database) {
    return database.endpoints();
  }

  @Provides
  @Singleton
  static DeliveryBacklog deliveryBacklog(PostgresDatabase database) {
    return database.backlog();
  }

  @Provides
  @Singleton
  static LeaseBacklog leaseBacklog(PostgresDatabase database) {
    return database.leaseBacklog();
  }

  @Provides
  @Singleton
  static CachingOrganizations cachingOrganizations(
      PostgresDatabase database, OrganizationChanges changes, Clock clock) {
    return new CachingOrganizations(
        database.organizations(),
        changes,
        clock,
        TriggersDefaults.ORGANIZATION_CACHE_TTL,
        TriggersDefaults.ORGANIZATION_CACHE_ENTRIES);
  }

  @Provides
  @Singleton
  static Organizations organizations(CachingOrganizations organizations) {
    return organizations;
  }
}

package io.triggers.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.Organizations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.postgresql.Driver;

/**
 * A running connection to PostgreSQL: the pool, the migrated schema and the stores built on it.
 *
 * <p>{@link #start} migrates the schema first; that is safe to repeat and safe when several nodes
 * start at once, because the migration runs under a PostgreSQL advisory lock. Thread-safe.
 */
public final class PostgresDatabase implements AutoCloseable {

  /** How long a caller waits for a pooled connection before the database counts as unavailable. */
  private static final long CONNECTION_TIMEOUT_MILLIS = 2_000;

  private static final int CONNECT_TIMEOUT_SECONDS = 2;

  /** A migration needs one connection; the smallest pool allowed is plenty. */
  private static final int MIGRATION_POOL_SIZE = PostgresSettings.MIN_POOL_SIZE;

  /** The probe's limits: it decides "down" or "back", so it must not wait as long as callers. */
  private static final int PROBE_CONNECT_TIMEOUT_SECONDS = 1;

  /** How long the probe may take to log in, or to hear back at all. */
  private static final int PROBE_TIMEOUT_SECONDS = 2;

  private final HikariDataSource dataSource;
  private final PostgresAvailability availability;
  private final Jdbi jdbi;
  private final GroupCommitter committer;
  private final PostgresDeliveryLedger deliveries;
  private final DeliveryBacklog backlog;
  private final EventLog events;
  private final Inbox inbox;
  private final Organizations organizations;
  private final Endpoints endpoints;
  private final HealthCheck healthCheck;

  private PostgresDatabase(
      HikariDataSource dataSource, PostgresSettings settings, PostgresMeters meters) {
    this.dataSource = dataSource;
    this.availability = new PostgresAvailability(probe(settings));
    meters.availability(availability);
    // Every connection and every failed statement passes the availability gate, so that reads,
    // writes and delivery writes alike fail at once while the database is known to be down.
    this.jdbi = Jdbi.create(() -> availability.connect(dataSource::getConnection));
    jdbi.setSqlLogger(
        new SqlLogger() {
          @Override
          public void logException(StatementContext context, SQLException failure) {
            availability.failed(failure);
          }
        });
    jdbi.registerArrayType(UUID.class, "uuid");
    jdbi.registerArrayType(String.class, "text");
    jdbi.registerArrayType(Boolean.class, "boolean");
    jdbi.registerArrayType(Integer.class, "integer");
    this.committer =
        new GroupCommitter(
            jdbi, settings.maxBatchSize(), settings.maxLinger(), meters.groupCommit());
    this.events = new PostgresEventLog(jdbi, committer);
    this.inbox = new PostgresInbox(jdbi);
    this.deliveries = new PostgresDeliveryLedger(jdbi);
    this.backlog = new PostgresDeliveryBacklog(jdbi);
    this.organizations = new PostgresOrganizations(jdbi);
    this.endpoints = new PostgresEndpoints(jdbi);
    this.healthCheck = new PostgresHealthCheck(jdbi, availability);
  }

  /**
   * Connects, migrates the schema and starts the group commit writers, keeping no meters. Throws
   * {@link io.triggers.core.model.StorageUnavailableException} if PostgreSQL cannot be reached.
   */
  public static PostgresDatabase start(PostgresSettings settings) {
    // A composite registry with no registries in it keeps nothing.
    return start(settings, new CompositeMeterRegistry());
  }

  /**
   * Connects, migrates the schema and starts the group commit writers, registering the pool's, the
   * group commit's and the database's availability meters on {@code meters}. Throws {@link
   * io.triggers.core.model.StorageUnavailableException} if PostgreSQL cannot be reached.
   */
  public static PostgresDatabase start(PostgresSettings settings, MeterRegistry meters) {
    PostgresMeters postgresMeters = new PostgresMeters(meters);
    HikariDataSource dataSource = openPool(settings, postgresMeters);
    try {
      migrateSchema(dataSource);
      return new PostgresDatabase(dataSource, settings, postgresMeters);
    } catch (RuntimeException e) {
      dataSource.close();
      throw SqlFailures.translate("migrate the schema", e);
    }
  }

  /**
   * Migrates the schema as {@link #start} does, then closes its connections, so that an upgrade's
   * migrations can run before any node of the new version starts. Safe to repeat.
   *
   * @return how many migrations were applied; 0 when the schema was already current
   * @throws io.triggers.core.model.StorageUnavailableException if PostgreSQL cannot be reached
   */
  public static int migrate(PostgresSettings settings) {
    try (HikariDataSource dataSource =
        openPool(
            settings.withMaxPoolSize(MIGRATION_POOL_SIZE),
            new PostgresMeters(new CompositeMeterRegistry()))) {
      return migrateSchema(dataSource);
    } catch (RuntimeException e) {
      throw SqlFailures.translate("migrate the schema", e);
    }
  }

  private static int migrateSchema(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate()
        .migrationsExecuted;
  }

  private static HikariDataSource openPool(PostgresSettings settings, PostgresMeters meters) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("triggers-postgres");
    meters.track(config);
    config.setJdbcUrl(settings.jdbcUrl());
    if (!settings.user().isEmpty()) {
      config.setUsername(settings.user());
    }
    if (!settings.password().isEmpty()) {
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    // A 2xx means the event is on disk: never inherit a server default that acknowledges a commit
    // before its WAL is flushed (embedded servers often start with synchronous_commit off).
    config.setConnectionInitSql("SET synchronous_commit = on");
    // Defaults only: parameters given in the JDBC URL take precedence in the driver.
    config.addDataSourceProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
    config.addDataSourceProperty("tcpKeepAlive", true);
    config.addDataSourceProperty("ApplicationName", "triggers");
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw SqlFailures.translate("connect", e);
    }
  }

  /** Opens a connection of its own, not pooled, with short timeouts. */
  private static PostgresAvailability.Probe probe(PostgresSettings settings) {
    Properties properties = new Properties();
    if (!settings.user().isEmpty()) {
      properties.setProperty("user", settings.user());
    }
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    // Defaults only, as for the pool: parameters given in the JDBC URL take precedence.
    properties.setProperty("connectTimeout", Integer.toString(PROBE_CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
    properties.setProperty("socketTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
    properties.setProperty("ApplicationName", "triggers-probe");
    Driver driver = new Driver();
    return () -> {
      try (Connection connection = driver.connect(settings.jdbcUrl(), properties)) {
        if (connection == null) {
          throw new SQLException("not a PostgreSQL URL", "08001");
        }
      }
    };
  }

  /** The event log; appends from all callers share one group committer. */
  public EventLog events() {
    return events;
  }

  /** The organizations' inboxes, over the same events. */
  public Inbox inbox() {
    return inbox;
  }

  /** The delivery state of the same events; claims and results are written in batches. */
  public DeliveryLedger deliveries() {
    return deliveries;
  }

  /** The delivery backlog of the same events, for the operator's gauges. */
  public DeliveryBacklog backlog() {
    return backlog;
  }

  public Organizations organizations() {
    return organizations;
  }

  /** The organizations' endpoints; an organization's webhook is its default endpoint. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /**
   * Named {@code postgres}; down, saying why, while the database is known to be unreachable, after
   * it refused work for want of resources such as disk space, or when a trivial query gets no
   * answer within about a second.
   */
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /** The gate that knows whether the database is down; for tests in this package. */
  PostgresAvailability availability() {
    return availability;
  }

  /** Commits appends and delivery writes already waiting, then closes the pool. */
  @Override
  public void close() {
    try {
      committer.close();
      deliveries.close();
    } finally {
      availability.close();
      dataSource.close();
    }
  }
}

package io.triggers.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.port.out.Storage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A running connection to PostgreSQL: the pool, the migrated schema and the stores built on it.
 *
 * <p>{@link #start} migrates the schema first; that is safe to repeat and safe when several nodes
 * start at once, because the migration runs under a PostgreSQL advisory lock. Thread-safe.
 *
 * <p>The server starts it on its own database, whose default schema and {@code
 * flyway_schema_history} it uses. A host application that shares its database starts it with a
 * {@link PostgresSchema} (schema {@code triggers}, history {@code triggers_schema_history} by
 * default), on a pool of Triggers' own ({@link #start(PostgresSettings, PostgresSchema)}) or on the
 * host's {@link DataSource} ({@link #start(DataSource)}), and hands {@link #storage} to {@code
 * io.triggers.core.embed.Triggers}.
 *
 * <p>It is longer than most classes because it has one accessor for each port it fills, beside the
 * bundle of them all.
 */
public final class PostgresDatabase implements AutoCloseable {

  /** A migration needs one connection; the smallest pool allowed is plenty. */
  private static final int MIGRATION_POOL_SIZE = PostgresSettings.MIN_POOL_SIZE;

  private final AutoCloseable pool;
  private final PostgresAvailability availability;
  private final Jdbi jdbi;
  private final GroupCommitter committer;
  private final PostgresDeliveryLedger deliveries;
  private final DeliveryBacklog backlog;
  private final LeaseBacklog leaseBacklog;
  private final AttemptLog attempts;
  private final EventLog events;
  private final Inbox inbox;
  private final InboxLeases leases;
  private final Organizations organizations;
  private final Endpoints endpoints;
  private final HealthCheck healthCheck;

  private PostgresDatabase(
      ConnectionFactory connections,
      PostgresAvailability availability,
      AutoCloseable pool,
      int maxBatchSize,
      Duration maxLinger,
      PostgresMeters meters) {
    this.pool = pool;
    this.availability = availability;
    meters.availability(availability);
    // Every connection and every failed statement passes the availability gate, so that reads,
    // writes and delivery writes alike fail at once while the database is known to be down.
    this.jdbi = Jdbi.create(connections);
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
    this.committer = new GroupCommitter(jdbi, maxBatchSize, maxLinger, meters.groupCommit());
    this.events = new PostgresEventLog(jdbi, committer);
    this.inbox = new PostgresInbox(jdbi);
    this.leases = new PostgresInboxLeases(jdbi);
    this.deliveries = new PostgresDeliveryLedger(jdbi);
    this.backlog = new PostgresDeliveryBacklog(jdbi);
    this.leaseBacklog = new PostgresLeaseBacklog(jdbi);
    this.attempts = new PostgresAttemptLog(jdbi);
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
    return start(settings, meters, migrations(), PostgresPool.SYNCHRONOUS_COMMIT);
  }

  /**
   * As {@link #start(PostgresSettings)}, with Triggers' tables and Flyway history in {@code schema}
   * of a database that a host application shares: only this pool's connections are set to that
   * schema. Throws {@link io.triggers.core.model.StorageUnavailableException} if PostgreSQL cannot
   * be reached.
   */
  public static PostgresDatabase start(PostgresSettings settings, PostgresSchema schema) {
    return start(settings, schema, new CompositeMeterRegistry());
  }

  /**
   * As {@link #start(PostgresSettings, PostgresSchema)}, registering the meters {@link
   * #start(PostgresSettings, MeterRegistry)} registers.
   */
  public static PostgresDatabase start(
      PostgresSettings settings, PostgresSchema schema, MeterRegistry meters) {
    return start(
        settings,
        meters,
        configureFor(schema),
        PostgresPool.SYNCHRONOUS_COMMIT + "; SET search_path TO " + schema.name());
  }

  /**
   * Triggers on the host application's own pool, in schema {@code triggers} with its own Flyway
   * history table, beside the host's tables and migrations; see {@link #start(DataSource,
   * PostgresSchema)}.
   */
  public static PostgresDatabase start(DataSource host) {
    return start(host, PostgresSchema.standard());
  }

  /**
   * Triggers on the host application's own pool: migrates Triggers' tables into {@code schema},
   * with a Flyway history table of their own there, then borrows the host's connections for each
   * read and write, setting them to that schema (and to synchronous commits) while it holds them
   * and back as they were before returning them. {@link #close} leaves the host's pool open. Throws
   * {@link io.triggers.core.model.StorageUnavailableException} if PostgreSQL cannot be reached.
   */
  public static PostgresDatabase start(DataSource host, PostgresSchema schema) {
    try {
      configureFor(schema).dataSource(host).load().migrate();
    } catch (RuntimeException e) {
      throw SqlFailures.translate("migrate the schema", e);
    }
    PostgresAvailability availability = new PostgresAvailability(PostgresPool.probe(host));
    return new PostgresDatabase(
        new HostConnections(host, availability, schema),
        availability,
        () -> {},
        PostgresSettings.DEFAULT_MAX_BATCH_SIZE,
        PostgresSettings.DEFAULT_MAX_LINGER,
        new PostgresMeters(new CompositeMeterRegistry()));
  }

  private static PostgresDatabase start(
      PostgresSettings settings,
      MeterRegistry meters,
      FluentConfiguration migration,
      String connectionInitSql) {
    PostgresMeters postgresMeters = new PostgresMeters(meters);
    HikariDataSource dataSource = PostgresPool.open(settings, postgresMeters, connectionInitSql);
    try {
      migration.dataSource(dataSource).load().migrate();
      PostgresAvailability availability = new PostgresAvailability(PostgresPool.probe(settings));
      return new PostgresDatabase(
          () -> availability.connect(dataSource::getConnection),
          availability,
          dataSource,
          settings.maxBatchSize(),
          settings.maxLinger(),
          postgresMeters);
    } catch (RuntimeException e) {
      dataSource.close();
      throw SqlFailures.translate("migrate the schema", e);
    }
  }

  /** Triggers' migrations, in {@code schema} with their own history table. */
  private static FluentConfiguration configureFor(PostgresSchema schema) {
    return migrations()
        .schemas(schema.name())
        .defaultSchema(schema.name())
        .createSchemas(true)
        .table(schema.historyTable());
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
        PostgresPool.open(
            settings.withMaxPoolSize(MIGRATION_POOL_SIZE),
            new PostgresMeters(new CompositeMeterRegistry()),
            PostgresPool.SYNCHRONOUS_COMMIT)) {
      return migrateSchema(dataSource);
    } catch (RuntimeException e) {
      throw SqlFailures.translate("migrate the schema", e);
    }
  }

  private static int migrateSchema(DataSource dataSource) {
    return migrations().dataSource(dataSource).load().migrate().migrationsExecuted;
  }

  /** Triggers' migrations, wherever they go. */
  private static FluentConfiguration migrations() {
    return Flyway.configure().locations("classpath:db/migration").failOnMissingLocations(true);
  }

  /** The event log; appends from all callers share one group committer. */
  public EventLog events() {
    return events;
  }

  /** The organizations' inboxes, over the same events. */
  public Inbox inbox() {
    return inbox;
  }

  /** The inbox leases of the same events, shared by every node on this database. */
  public InboxLeases leases() {
    return leases;
  }

  /** The delivery state of the same events; claims and results are written in batches. */
  public DeliveryLedger deliveries() {
    return deliveries;
  }

  /** The log of the webhook attempts the delivery ledger records. */
  public AttemptLog attempts() {
    return attempts;
  }

  /** The delivery backlog of the same events, for the operator's gauges. */
  public DeliveryBacklog backlog() {
    return backlog;
  }

  /** The counts of leased and dead inbox events of the same events, for the operator's gauges. */
  public LeaseBacklog leaseBacklog() {
    return leaseBacklog;
  }

  /** Organizations, their keys and webhooks; not cached here. */
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

  /**
   * The ports of this database in one value, for {@code io.triggers.core.embed.Triggers}'s builder;
   * its health check is {@link #healthCheck}.
   */
  public Storage storage() {
    return new Storage(
        events,
        inbox,
        leases,
        deliveries,
        attempts,
        backlog,
        endpoints,
        organizations,
        List.of(healthCheck));
  }

  private void closePool() {
    try {
      pool.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the connection pool failed", e);
    }
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
      closePool();
    }
  }
}

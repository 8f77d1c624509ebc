package io.triggers.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.triggers.core.port.out.EventStore;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.Organizations;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

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

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final GroupCommitter committer;
  private final DeliveryWrites deliveryWrites;
  private final EventStore eventStore;
  private final Organizations organizations;
  private final HealthCheck healthCheck;

  private PostgresDatabase(HikariDataSource dataSource, PostgresSettings settings) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.registerArrayType(UUID.class, "uuid");
    jdbi.registerArrayType(String.class, "text");
    jdbi.registerArrayType(Boolean.class, "boolean");
    jdbi.registerArrayType(Integer.class, "integer");
    this.committer = new GroupCommitter(jdbi, settings.maxBatchSize(), settings.maxLinger());
    this.deliveryWrites = new DeliveryWrites(jdbi);
    this.eventStore = new PostgresEventStore(jdbi, committer, deliveryWrites);
    this.organizations = new PostgresOrganizations(jdbi);
    this.healthCheck = new PostgresHealthCheck(jdbi);
  }

  /**
   * Connects, migrates the schema and starts the group commit writers. Throws {@link
   * io.triggers.core.model.StorageUnavailableException} if PostgreSQL cannot be reached.
   */
  public static PostgresDatabase start(PostgresSettings settings) {
    HikariDataSource dataSource = openPool(settings);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      return new PostgresDatabase(dataSource, settings);
    } catch (RuntimeException e) {
      dataSource.close();
      throw SqlFailures.translate("migrate the schema", e);
    }
  }

  private static HikariDataSource openPool(PostgresSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("triggers-postgres");
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

  /** The event store; appends from all callers share one group committer. */
  public EventStore eventStore() {
    return eventStore;
  }

  public Organizations organizations() {
    return organizations;
  }

  /** Named {@code postgres}; down when a trivial query gets no answer within about a second. */
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /** Commits appends and delivery writes already waiting, then closes the pool. */
  @Override
  public void close() {
    try {
      committer.close();
      deliveryWrites.close();
    } finally {
      dataSource.close();
    }
  }
}

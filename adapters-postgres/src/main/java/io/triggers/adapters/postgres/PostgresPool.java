package io.triggers.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.Driver;

/** Triggers' own connection pool, and the probe that tells whether PostgreSQL is back. */
final class PostgresPool {

  /**
   * A 2xx means the event is on disk: never inherit a server default that acknowledges a commit
   * before its WAL is flushed (embedded servers often start with synchronous_commit off).
   */
  static final String SYNCHRONOUS_COMMIT = "SET synchronous_commit = on";

  /** How long a caller waits for a pooled connection before the database counts as unavailable. */
  private static final long CONNECTION_TIMEOUT_MILLIS = 2_000;

  private static final int CONNECT_TIMEOUT_SECONDS = 2;

  /** The probe's limits: it decides "down" or "back", so it must not wait as long as callers. */
  private static final int PROBE_CONNECT_TIMEOUT_SECONDS = 1;

  /** How long the probe may take to log in, or to hear back at all. */
  private static final int PROBE_TIMEOUT_SECONDS = 2;

  private PostgresPool() {}

  /**
   * Opens Triggers' own pool; {@code connectionInitSql} runs on each new connection, setting at
   * least {@link #SYNCHRONOUS_COMMIT}.
   */
  static HikariDataSource open(
      PostgresSettings settings, PostgresMeters meters, String connectionInitSql) {
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
    config.setConnectionInitSql(connectionInitSql);
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
  static PostgresAvailability.Probe probe(PostgresSettings settings) {
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

  /**
   * Borrows a connection from the host's pool and checks it answers in time; the host's pool, not
   * this adapter, decides how long the borrowing may wait.
   */
  static PostgresAvailability.Probe probe(DataSource host) {
    return () -> {
      try (Connection connection = host.getConnection()) {
        if (!connection.isValid(PROBE_TIMEOUT_SECONDS)) {
          throw new SQLException("PostgreSQL did not answer in time", "08006");
        }
      }
    };
  }
}

package io.triggers.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of the integration tests: the one named by {@code
 * TRIGGERS_TEST_DATABASE_URL}, or else one embedded server shared by the whole test JVM. Each
 * caller of {@link #freshSchema} gets an empty schema of its own.
 */
final class TestDatabase {

  private static final String URL_VARIABLE = "TRIGGERS_TEST_DATABASE_URL";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private static PostgresSettings server;

  private TestDatabase() {}

  /** Whether the tests run on their own embedded server, which they may also stop and start. */
  static boolean isEmbedded() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank();
  }

  /** Settings for a new, empty schema on the test server. */
  static PostgresSettings freshSchema() {
    PostgresSettings base = server();
    String schema = "test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    return withParameter(base, "currentSchema=" + schema);
  }

  /** Empties the tables of the schema the settings point at. */
  static void truncate(PostgresSettings settings) {
    execute(settings, "TRUNCATE events, webhooks, organizations");
  }

  static void execute(PostgresSettings settings, String... statements) {
    try (Connection connection = connect(settings);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
    }
  }

  static Connection connect(PostgresSettings settings) throws SQLException {
    return settings.user().isEmpty()
        ? DriverManager.getConnection(settings.jdbcUrl())
        : DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
  }

  static PostgresSettings withParameter(PostgresSettings settings, String parameter) {
    String url = settings.jdbcUrl();
    return new PostgresSettings(
        url + (url.contains("?") ? "&" : "?") + parameter,
        settings.user(),
        settings.password(),
        settings.maxPoolSize(),
        settings.maxBatchSize(),
        settings.maxLinger());
  }

  private static synchronized PostgresSettings server() {
    if (server == null) {
      server =
          isEmbedded() ? startEmbedded() : PostgresSettings.fromUrl(System.getenv(URL_VARIABLE));
    }
    return server;
  }

  private static PostgresSettings startEmbedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
      return PostgresSettings.fromUrl(postgres.getJdbcUrl("postgres", "postgres"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      // The JVM is exiting; the server's directory is temporary either way.
    }
  }
}

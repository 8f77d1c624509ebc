package io.triggers.bootstrap;

import io.triggers.adapters.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of the integration tests: the one named by {@code
 * TRIGGERS_TEST_DATABASE_URL}, or else one embedded server shared by the whole test JVM. Each
 * caller of {@link #freshSchemaUrl} gets an empty schema of its own.
 */
final class TestDatabase {

  private static final String URL_VARIABLE = "TRIGGERS_TEST_DATABASE_URL";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private static PostgresSettings server;

  private TestDatabase() {}

  /**
   * A JDBC URL, credentials included, whose connections work in a new, empty schema: what a node
   * takes as its database URL, and what {@link #count} takes.
   */
  static String freshSchemaUrl() {
    PostgresSettings base = server();
    String schema = "test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    String url = base.jdbcUrl() + (base.jdbcUrl().contains("?") ? "&" : "?");
    url += "currentSchema=" + schema;
    if (!base.user().isEmpty()) {
      url += "&user=" + encode(base.user()) + "&password=" + encode(base.password());
    }
    execute(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    return url;
  }

  /** The single number a query such as {@code SELECT count(*) ...} answers. */
  static long count(String url, String query) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
    }
  }

  private static void execute(String url, String... statements) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
    }
  }

  private static synchronized PostgresSettings server() {
    if (server == null) {
      String given = System.getenv(URL_VARIABLE);
      server =
          PostgresSettings.fromUrl(given != null && !given.isBlank() ? given : startEmbedded());
    }
    return server;
  }

  private static String startEmbedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
      return postgres.getJdbcUrl("postgres", "postgres");
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

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}

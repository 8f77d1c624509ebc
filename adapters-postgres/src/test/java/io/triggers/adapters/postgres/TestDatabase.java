package io.triggers.adapters.postgres;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server of the integration tests: the one named by {@code
 * TRIGGERS_TEST_DATABASE_URL}, or else one embedded server shared by the whole test JVM. Each
 * caller of {@link #freshSchema} or {@link #freshSchemaUrl} gets an empty schema of its own. Public
 * for the server's tests in bootstrap, which reach it through the test-jar.
 */
public final class TestDatabase {

  private static final String URL_VARIABLE = "TRIGGERS_TEST_DATABASE_URL";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private static final Pattern DATABASE_IN_URL =
      Pattern.compile("(jdbc:postgresql://[^/]*/)[^?]*(.*)");

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

  /** Settings for a new, empty database on the test server, as a host application would have. */
  static PostgresSettings freshDatabase() {
    PostgresSettings base = server();
    String database = "host_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    execute(base, "CREATE DATABASE " + database);
    Matcher url = DATABASE_IN_URL.matcher(base.jdbcUrl());
    if (!url.matches()) {
      throw new IllegalStateException("the test database URL names no database");
    }
    return new PostgresSettings(
        url.group(1) + database + url.group(2),
        base.user(),
        base.password(),
        base.maxPoolSize(),
        base.maxBatchSize(),
        base.maxLinger());
  }

  /**
   * A JDBC URL, credentials included, whose connections work in a new, empty schema: what a node
   * takes as its database URL, and what {@link #count} takes.
   */
  public static String freshSchemaUrl() {
    PostgresSettings schema = freshSchema();
    String url = schema.jdbcUrl();
    if (!schema.user().isEmpty()) {
      url += "&user=" + encode(schema.user()) + "&password=" + encode(schema.password());
    }
    return url;
  }

  /** The single number a query such as {@code SELECT count(*) ...} answers. */
  public static long count(String url, String query) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
    }
  }

  /** Empties the tables of the schema the settings point at. */
  static void truncate(PostgresSettings settings) {
    execute(
        settings,
        "TRUNCATE events, inbox_leases, deliveries, delivery_attempts, endpoints, organizations");
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

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      // The JVM is exiting; the server's directory is temporary either way.
    }
  }
}

package io.triggers.adapters.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.Health;
import io.triggers.core.port.out.HealthCheck;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL as the server runs it: password only, and restarted when it dies. */
class EmbeddedPostgresServerIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  @Test
  void acceptsOnlyConnectionsThatGiveItsPassword() throws Exception {
    // given
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {

      // when / then
      assertThat(selectOne(server, server.password())).isEqualTo(1);
      assertThatThrownBy(() -> selectOne(server, ""))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(() -> selectOne(server, "wrong-" + server.password()))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      assertThatThrownBy(() -> selectOne(server, server.password(), "template1", "nobody"))
          .isInstanceOf(SQLException.class);
      assertThat(hbaRules(server)).isNotEmpty().allMatch(rule -> rule.endsWith("scram-sha-256"));
      Path passwordFile = dataDir.resolve(PostgresDataDirectory.PASSWORD_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void keepsItsDataAndPasswordAcrossARestartOnTheSameDirectory() throws Exception {
    // given
    String password;
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir)) {
      password = first.password();
      execute(first, "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (42)");
    }

    // when
    try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir)) {

      // then
      assertThat(second.password()).isEqualTo(password);
      assertThat(query(second, "SELECT id FROM kept")).isEqualTo(42);
    }
  }

  @Test
  void requiresAPasswordOfADirectoryThatTrustedEveryLocalConnection() throws Exception {
    // given a directory set up the way earlier versions did, trusting local connections
    Path postgresDir = dataDir.resolve("postgres");
    try (EmbeddedPostgres earlier =
        EmbeddedPostgres.builder()
            .setDataDirectory(postgresDir)
            .setCleanDataDirectory(false)
            .start()) {
      try (Connection connection =
              DriverManager.getConnection(earlier.getJdbcUrl("postgres", "postgres"));
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE kept (id int)");
        statement.execute("INSERT INTO kept VALUES (7)");
      }
    }
    assertThat(Files.readString(postgresDir.resolve("pg_hba.conf"))).contains("trust");

    // when
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {

      // then
      assertThat(query(server, "SELECT id FROM kept")).isEqualTo(7);
      assertThatThrownBy(() -> selectOne(server, ""))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThat(hbaRules(server)).allMatch(rule -> rule.endsWith("scram-sha-256"));
    }
  }

  @Test
  void restartsAKilledPostmasterOnTheSamePortAndFailsLivenessWhileItCannot() throws Exception {
    // given
    try (EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(dataDir, Clock.systemUTC(), Duration.ofSeconds(2))) {
      HealthCheck health = server.healthCheck();
      long killed = server.pid();
      int port = server.port();

      // when it is killed and something else takes its port
      ProcessHandle.of(killed).orElseThrow().destroyForcibly();
      ServerSocket squatter = takePort(port);
      try {
        // then it is down, and no longer live once that lasts
        await(() -> health.check().status() == Health.Status.DOWN);
        await(() -> !health.live());
        await(() -> health.check().detail().contains("attempts failed"));
      } finally {
        squatter.close();
      }

      // and once the port is free again, it runs again on that port (after its longer waits by
      // then, and once the killed postmaster's children have let go of its shared memory)
      await(() -> health.check().status() == Health.Status.UP, Duration.ofMinutes(2));
      assertThat(health.live()).isTrue();
      assertThat(server.pid()).isNotEqualTo(killed);
      assertThat(server.port()).isEqualTo(port);
      assertThat(selectOne(server, server.password())).isEqualTo(1);
    }
  }

  /** Binds the port as soon as the dying postmaster lets go of it. */
  private static ServerSocket takePort(int port) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      ServerSocket socket = new ServerSocket();
      try {
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        return socket;
      } catch (IOException stillHeld) {
        socket.close();
        if (System.nanoTime() - deadline > 0) {
          throw stillHeld;
        }
        Thread.sleep(5);
      }
    }
  }

  private static java.util.List<String> hbaRules(EmbeddedPostgresServer server) throws IOException {
    return Files.readAllLines(server.dataDirectory().resolve("pg_hba.conf")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private static int selectOne(EmbeddedPostgresServer server, String password) throws SQLException {
    return selectOne(server, password, "postgres", EmbeddedPostgresServer.USER);
  }

  private static int selectOne(
      EmbeddedPostgresServer server, String password, String database, String user)
      throws SQLException {
    String url = server.jdbcUrl().replace("/postgres", "/" + database);
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      return result.getInt(1);
    }
  }

  private static int query(EmbeddedPostgresServer server, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getInt(1);
    }
  }

  private static void execute(EmbeddedPostgresServer server, String... statements)
      throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    await(condition, PATIENCE);
  }

  private static void await(BooleanSupplier condition, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited %s", patience).isNegative();
      Thread.sleep(20);
    }
  }
}

package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.triggers.core.embed.Triggers;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Triggers in a database a host application shares: the host runs Flyway with its own first
 * migration and has its own {@code events} table; Triggers keeps to schema {@code triggers}.
 */
class PostgresBesideHostIT {

  private static final int HOST_POOL_SIZE = 4;

  private final Fixtures fixtures = new Fixtures(new MutableClock());

  @Test
  void runsOnTheHostsPoolBesideTheHostsOwnMigrationsAndTables() throws SQLException {
    PostgresSettings settings = TestDatabase.freshDatabase();
    try (HikariDataSource host = hostPool(settings)) {
      // given a host that migrated its own schema history and events table
      Flyway hostFlyway = hostFlyway(host);
      assertThat(hostFlyway.migrate().migrationsExecuted).isEqualTo(1);

      // when Triggers starts on the host's pool, and again as after a restart
      PostgresDatabase.start(host).close();
      try (PostgresDatabase database = PostgresDatabase.start(host);
          Triggers triggers = Triggers.builder().storage(database.storage()).build()) {

        // then both work, each in its own tables
        assertIngestsAndLists(triggers);
        assertHostUntouched(host, hostFlyway);
        assertThat(count(host, "SELECT count(*) FROM triggers.triggers_schema_history"))
            .isPositive();
      }
      assertThat(hostFlyway.migrate().migrationsExecuted).isZero();
    }
  }

  @Test
  void runsOnItsOwnPoolInItsOwnSchemaOfTheHostsDatabase() throws SQLException {
    PostgresSettings settings = TestDatabase.freshDatabase();
    try (HikariDataSource host = hostPool(settings)) {
      Flyway hostFlyway = hostFlyway(host);
      hostFlyway.migrate();

      try (PostgresDatabase database =
              PostgresDatabase.start(settings, PostgresSchema.named("triggers_own"));
          Triggers triggers = Triggers.builder().storage(database.storage()).build()) {

        assertIngestsAndLists(triggers);
        assertHostUntouched(host, hostFlyway);
        assertThat(count(host, "SELECT count(*) FROM triggers_own.events")).isOne();
      }
    }
  }

  @Test
  void givesTheHostsConnectionsBackAsTheyWereLent() throws SQLException {
    PostgresSettings settings = TestDatabase.freshDatabase();
    try (HikariDataSource host = hostPool(settings)) {
      hostFlyway(host).migrate();
      List<String> before = sessionSettingsOfEveryPooledConnection(host);

      try (PostgresDatabase database = PostgresDatabase.start(host);
          Triggers triggers = Triggers.builder().storage(database.storage()).build()) {
        assertIngestsAndLists(triggers);

        assertThat(sessionSettingsOfEveryPooledConnection(host)).isEqualTo(before);
        assertThat(before).allSatisfy(setting -> assertThat(setting).endsWith("/off"));
      }
    }
  }

  private void assertIngestsAndLists(Triggers triggers) {
    Organization acme =
        triggers
            .generateApiKey()
            .generate(new GenerateApiKey.Command(new OrganizationName("Acme"), Tier.PRO))
            .organization();
    assertThat(triggers.ingestEvent().ingest(acme, fixtures.command("order-1")))
        .isInstanceOf(IngestEvent.Outcome.Accepted.class);
    assertThat(triggers.ingestEvent().ingest(acme, fixtures.command("order-1")))
        .isInstanceOf(IngestEvent.Outcome.Duplicate.class);
    assertThat(triggers.listInbox().list(acme.id(), InboxQuery.undelivered()).events()).hasSize(1);
  }

  private static void assertHostUntouched(HikariDataSource host, Flyway hostFlyway)
      throws SQLException {
    assertThat(count(host, "SELECT count(*) FROM public.events WHERE title IS NOT NULL")).isOne();
    assertThat(count(host, "SELECT count(*) FROM events")).isOne();
    assertThat(count(host, "SELECT count(*) FROM public.flyway_schema_history")).isOne();
    assertThat(hostFlyway.validateWithResult().validationSuccessful).isTrue();
  }

  /** Every connection of the host's pool at once, so none escapes: its search path and commit. */
  private static List<String> sessionSettingsOfEveryPooledConnection(HikariDataSource host)
      throws SQLException {
    List<Connection> connections = new ArrayList<>();
    List<String> settings = new ArrayList<>();
    try {
      for (int i = 0; i < HOST_POOL_SIZE; i++) {
        Connection connection = host.getConnection();
        connections.add(connection);
        try (Statement statement = connection.createStatement();
            ResultSet result =
                statement.executeQuery(
                    "SELECT current_setting('search_path') || '/'"
                        + " || current_setting('synchronous_commit')")) {
          result.next();
          settings.add(result.getString(1));
        }
      }
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
    return settings;
  }

  /** The host's pool; the host prefers fast commits, which Triggers must not leave changed. */
  private static HikariDataSource hostPool(PostgresSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    if (!settings.user().isEmpty()) {
      config.setUsername(settings.user());
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(HOST_POOL_SIZE);
    config.setMinimumIdle(HOST_POOL_SIZE);
    config.setConnectionInitSql("SET synchronous_commit = off");
    return new HikariDataSource(config);
  }

  private static Flyway hostFlyway(HikariDataSource host) {
    return Flyway.configure().dataSource(host).locations("classpath:host/migration").load();
  }

  private static long count(HikariDataSource host, String query) throws SQLException {
    try (Connection connection = host.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    }
  }
}

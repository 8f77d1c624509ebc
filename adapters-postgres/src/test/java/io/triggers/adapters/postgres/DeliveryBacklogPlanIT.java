package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.port.out.DeliveryBacklog.Snapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading the delivery backlog costs what the backlog holds, not what the table holds: both queries
 * read their partial index, never the whole events table.
 */
class DeliveryBacklogPlanIT {

  /**
   * 20,000 deliveries over 64 organizations' endpoints, nearly all delivered; a few due and a few
   * failed.
   */
  private static final String FILL =
      """
      INSERT INTO deliveries
        (org_id, event_id, endpoint_id, status, attempts, last_error, next_attempt_at,
         delivered_at)
      SELECT
        ('00000000-0000-4000-8000-' || lpad(to_hex(g % 64), 12, '0'))::uuid,
        ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
        ('00000000-0000-4000-8000-' || lpad(to_hex(g % 64), 12, '0'))::uuid,
        CASE WHEN g % 100 = 0 THEN 'retrying' WHEN g % 250 = 1 THEN 'failed' ELSE 'delivered' END,
        1,
        CASE WHEN g % 100 = 0 OR g % 250 = 1 THEN 'HTTP 500' END,
        CASE WHEN g % 100 = 0
          THEN timestamptz '2026-01-01 00:00:00+00' + g * interval '1 millisecond' END,
        CASE WHEN g % 100 <> 0 AND g % 250 <> 1
          THEN timestamptz '2026-01-01 00:00:00+00' + g * interval '1 millisecond' END
      FROM generate_series(1, 20000) AS g
      """;

  private static final String NOW = "'2026-01-01T00:10:00Z'";

  private static PostgresSettings settings;
  private static PostgresDatabase database;

  @BeforeAll
  static void fillTable() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    TestDatabase.execute(
        settings,
        "ALTER TABLE deliveries SET (autovacuum_enabled = false)",
        FILL,
        "ANALYZE deliveries");
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void theScheduledDeliveriesAreCountedFromTheDueIndex() throws SQLException {
    QueryPlans.of(
            settings,
            PostgresDeliveryBacklog.SCHEDULED,
            "timestamptz, timestamptz, timestamptz, timestamptz",
            List.of(NOW, NOW, NOW, NOW))
        .forEach(
            (planCacheMode, plan) ->
                assertThat(plan)
                    .as("%s plan", planCacheMode)
                    .contains("deliveries_due_idx")
                    .doesNotContain("Seq Scan"));
  }

  @Test
  void theFailedDeliveriesAreCountedFromTheirOwnIndex() throws SQLException {
    try (Connection connection = TestDatabase.connect(settings);
        Statement statement = connection.createStatement();
        ResultSet plan =
            statement.executeQuery("EXPLAIN (FORMAT JSON) " + PostgresDeliveryBacklog.FAILED)) {
      plan.next();
      assertThat(plan.getString(1)).contains("deliveries_failed_idx").doesNotContain("Seq Scan");
    }
  }

  @Test
  void theHeldDeliveriesAreCountedFromTheirOwnIndex() throws SQLException {
    try (Connection connection = TestDatabase.connect(settings);
        Statement statement = connection.createStatement();
        ResultSet plan =
            statement.executeQuery("EXPLAIN (FORMAT JSON) " + PostgresDeliveryBacklog.HELD)) {
      plan.next();
      assertThat(plan.getString(1)).contains("deliveries_held_idx").doesNotContain("Seq Scan");
    }
  }

  @Test
  void countsWhatTheTableHolds() {
    // when
    Snapshot snapshot = database.backlog().snapshot(Instant.parse("2026-01-01T00:10:00Z"));

    // then
    assertThat(snapshot.due()).isEqualTo(200);
    assertThat(snapshot.retrying()).isEqualTo(200);
    assertThat(snapshot.failed()).isEqualTo(80);
    assertThat(snapshot.oldestDue()).contains(Instant.parse("2026-01-01T00:00:00.100Z"));
  }
}

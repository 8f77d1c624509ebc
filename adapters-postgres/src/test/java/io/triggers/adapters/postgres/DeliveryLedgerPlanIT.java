package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claims and results of delivery attempts find each row by its key, even when the statistics were
 * taken while nothing was scheduled and a backlog has built up since.
 */
class DeliveryLedgerPlanIT {

  /** 20,000 delivered events over 64 organizations; statistics are taken of these. */
  private static final String FILL =
      """
      INSERT INTO events (org_id, id, type, payload, created_at, delivery_status)
      SELECT
        ('00000000-0000-4000-8000-' || lpad(to_hex(g % 64), 12, '0'))::uuid,
        ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
        'order.created',
        '{}'::json,
        timestamptz '2026-01-01 00:00:00+00' + g * interval '1 millisecond',
        'delivered'
      FROM generate_series(1, 20000) AS g
      """;

  /** Each delivered to its organization's one endpoint. */
  private static final String FILL_DELIVERIES =
      """
      INSERT INTO deliveries (org_id, event_id, endpoint_id, status, attempts, delivered_at)
      SELECT org_id, id, org_id, 'delivered', 1, created_at FROM events
      """;

  /** Then half of them become a backlog of due deliveries, which the statistics do not know of. */
  private static final String BACKLOG =
      """
      UPDATE deliveries SET status = 'pending', attempts = 0, delivered_at = NULL,
        next_attempt_at = '2026-01-01T00:00:00Z'
      WHERE (hashtext(event_id::text) % 2) = 0
      """;

  private static final String ORGANIZATIONS = "'{00000000-0000-4000-8000-000000000001}'";
  private static final String IDS = "'{00000000-0000-7000-8000-000000000001}'";

  /** 2026-01-01T00:10:00Z, in microseconds since the epoch, as the statements take instants. */
  private static final String TIMES = "'{1767226200000000}'";

  private static PostgresSettings settings;
  private static PostgresDatabase database;

  @BeforeAll
  static void fillTable() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    TestDatabase.execute(
        settings,
        "ALTER TABLE events SET (autovacuum_enabled = false)",
        "ALTER TABLE deliveries SET (autovacuum_enabled = false)",
        FILL,
        FILL_DELIVERIES,
        "ANALYZE events",
        "ANALYZE deliveries",
        BACKLOG);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void aClaimReadsEachDeliveryAndEventByItsKey() throws SQLException {
    assertReadsByKey(
        DeliveryClaims.CLAIM,
        "text[], text[], text[], bigint[], bigint[]",
        List.of(ORGANIZATIONS, IDS, ORGANIZATIONS, TIMES, TIMES));
  }

  @Test
  void aResultReadsEachDeliveryByItsKey() throws SQLException {
    assertReadsByKey(
        DeliveryResults.RECORD,
        "text[], text[], text[], bigint[], text[], integer[], bigint[], bigint[], text[], bigint[],"
            + " bigint[], text[], integer[], text[], bigint[]",
        List.of(
            ORGANIZATIONS,
            IDS,
            ORGANIZATIONS,
            TIMES,
            "'{delivered}'",
            "'{1}'",
            TIMES,
            "'{NULL}'",
            "'{NULL}'",
            TIMES,
            TIMES,
            "'{delivered}'",
            "'{200}'",
            "'{NULL}'",
            "'{12}'"));
  }

  /**
   * Explains {@code sql}, whose named parameters take {@code types} and {@code values} in order of
   * appearance, as a prepared statement planned both with its values and generically, and checks
   * that it reads the deliveries table by its primary key only.
   */
  private static void assertReadsByKey(String sql, String types, List<String> values)
      throws SQLException {
    QueryPlans.of(settings, sql, types, values)
        .forEach(
            (planCacheMode, plan) ->
                assertThat(plan)
                    .as("%s plan of %s", planCacheMode, sql)
                    .contains("\"Index Name\": \"deliveries_pkey\"")
                    .doesNotContain("deliveries_due_idx")
                    .doesNotContain("Seq Scan"));
  }
}

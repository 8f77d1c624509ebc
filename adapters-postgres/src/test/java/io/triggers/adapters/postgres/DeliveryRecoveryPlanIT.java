package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recovering an endpoint reads its failed deliveries through the failed index, and their events by
 * an index too, however many deliveries the table holds; then changes the deliveries of the events
 * it locked by an index.
 */
class DeliveryRecoveryPlanIT {

  /** 200,000 events over 64 organizations, one a millisecond. */
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
      FROM generate_series(1, 200000) AS g
      """;

  /** Each to two endpoints of its organization; one delivery in fifty failed. */
  private static final String FILL_DELIVERIES =
      """
      INSERT INTO deliveries (org_id, event_id, endpoint_id, status, attempts, last_error,
                              delivered_at)
      SELECT org_id, id, endpoint,
             CASE WHEN hashtext(id::text || endpoint::text) % 50 = 0 THEN 'failed'
                  ELSE 'delivered' END,
             9, 'HTTP 500', NULL
      FROM events, unnest(ARRAY[org_id, '00000000-0000-4000-9000-000000000000'::uuid]) AS endpoint
      """;

  private static PostgresSettings settings;
  private static PostgresDatabase database;

  @BeforeAll
  static void fillTables() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    TestDatabase.execute(
        settings,
        FILL,
        FILL_DELIVERIES,
        "UPDATE deliveries SET delivered_at = now() WHERE status = 'delivered'",
        "ANALYZE events",
        "ANALYZE deliveries");
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void locksTheEndpointsFailedDeliveriesEventsByTheFailedIndexNeverTheWholeTable()
      throws SQLException {
    QueryPlans.of(
            settings,
            DeliveryRows.LOCK_TO_RECOVER,
            "uuid, uuid, timestamptz",
            List.of(
                "'00000000-0000-4000-8000-000000000001'",
                "'00000000-0000-4000-8000-000000000001'",
                "'2026-01-01T00:01:00Z'"))
        .forEach(
            (planCacheMode, plan) ->
                assertThat(plan)
                    .as("%s plan", planCacheMode)
                    .contains("\"Index Name\": \"deliveries_failed_idx\"")
                    .doesNotContain("Seq Scan"));
  }

  @Test
  void recoversTheLockedEventsDeliveriesByAnIndexNeverTheWholeTable() throws SQLException {
    QueryPlans.of(
            settings,
            DeliveryRows.RECOVER,
            "boolean, boolean, timestamptz, boolean, uuid, uuid, uuid[]",
            List.of(
                "false",
                "false",
                "'2026-01-01T00:10:00Z'",
                "false",
                "'00000000-0000-4000-8000-000000000001'",
                "'00000000-0000-4000-8000-000000000001'",
                "ARRAY['00000000-0000-7000-8000-000000000041']::uuid[]"))
        .forEach(
            (planCacheMode, plan) ->
                assertThat(plan)
                    .as("%s plan", planCacheMode)
                    .contains("Index")
                    .doesNotContain("Seq Scan"));
  }
}

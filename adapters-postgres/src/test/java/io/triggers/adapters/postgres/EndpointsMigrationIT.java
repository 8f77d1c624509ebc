package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventId;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.OrganizationId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Upgrades a database that has one webhook per organization to endpoints, in place. */
class EndpointsMigrationIT {

  private static final UUID WITH_WEBHOOK = UUID.fromString("0b7c1f9e-0000-4000-8000-000000000001");
  private static final UUID AN_ENDPOINT = UUID.fromString("0b7c1f9e-0000-4000-8000-0000000000e1");
  private static final UUID WITHOUT_WEBHOOK =
      UUID.fromString("0b7c1f9e-0000-4000-8000-000000000002");

  @Test
  void turnsEachWebhookIntoADefaultEndpointAndItsDeliveriesIntoDeliveryRows() throws Exception {
    // given a database on the schema before endpoints, with webhooks and deliveries in every state
    PostgresSettings settings = TestDatabase.freshSchema();
    Flyway.configure()
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .target("3")
        .load()
        .migrate();
    TestDatabase.execute(
        settings,
        organization(WITH_WEBHOOK, "aaaa"),
        organization(WITHOUT_WEBHOOK, "bbbb"),
        """
        INSERT INTO webhooks (org_id, url, signing_secret, updated_at)
        VALUES ('%s', 'https://hooks.example.com/in', 'whsec_c2VjcmV0', '2026-01-01T00:00:00Z')
        """
            .formatted(WITH_WEBHOOK),
        event(WITH_WEBHOOK, 1, "'pending', 0, NULL, '2026-01-02T00:00:00Z', NULL, NULL"),
        event(
            WITH_WEBHOOK,
            2,
            "'retrying', 3, '2026-01-02T00:00:00Z', '2026-01-02T01:00:00Z', 'HTTP 503', NULL"),
        event(
            WITH_WEBHOOK,
            3,
            "'delivered', 1, '2026-01-02T00:00:00Z', NULL, NULL, '2026-01-02T00:00:00Z'"),
        event(WITH_WEBHOOK, 4, "'failed', 9, '2026-01-02T00:00:00Z', NULL, 'HTTP 410', NULL"),
        event(WITH_WEBHOOK, 5, "'pending', 0, NULL, NULL, NULL, NULL"),
        event(WITHOUT_WEBHOOK, 6, "'pending', 0, NULL, '2026-01-02T00:00:00Z', NULL, NULL"));

    // when the server starts on it
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {

      // then the webhook is the organization's one endpoint, enabled, for every type
      OrganizationId organization = new OrganizationId(WITH_WEBHOOK);
      List<Endpoint> endpoints = database.endpoints().list(organization);
      assertThat(endpoints).hasSize(1);
      Endpoint endpoint = endpoints.getFirst();
      assertThat(endpoint.url()).hasToString("https://hooks.example.com/in");
      assertThat(endpoint.signingSecret().value()).isEqualTo("whsec_c2VjcmV0");
      assertThat(endpoint.eventTypes()).isEmpty();
      assertThat(endpoint.status()).isEqualTo(EndpointStatus.ENABLED);
      assertThat(database.endpoints().findDefault(organization)).contains(endpoint);
      assertThat(database.endpoints().list(new OrganizationId(WITHOUT_WEBHOOK))).isEmpty();

      // and the scheduled and failed deliveries are deliveries to it, as they stood
      String id = endpoint.id().toString();
      assertThat(deliveries(settings))
          .containsExactly(
              WITH_WEBHOOK + " " + eventId(1) + " " + id + " pending 0 null",
              WITH_WEBHOOK + " " + eventId(2) + " " + id + " retrying 3 HTTP 503",
              WITH_WEBHOOK + " " + eventId(4) + " " + id + " failed 9 HTTP 410");
      assertThat(TestDatabase.count(url(settings), "SELECT count(*) FROM events")).isEqualTo(6);

      // and the delivery of an organization without a webhook, which nothing could attempt, failed
      assertThat(
              database
                  .events()
                  .find(new OrganizationId(WITHOUT_WEBHOOK), EventId.parse(eventId(6)))
                  .map(stored -> stored.delivery().status()))
          .contains(DeliveryStatus.FAILED);
      assertThat(
              TestDatabase.count(
                  url(settings),
                  "SELECT count(*) FROM events WHERE delivery_status IN ('pending', 'retrying')"
                      + " AND next_attempt_at IS NOT NULL AND org_id = '"
                      + WITHOUT_WEBHOOK
                      + "'"))
          .isZero();
    }
  }

  @Test
  void keepsEachEndpointAsItWasWithNoFailuresOnceFailuresAreTracked() throws Exception {
    // given a database on the schema before failures were tracked, with a disabled endpoint
    PostgresSettings settings = TestDatabase.freshSchema();
    Flyway.configure()
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .target("5")
        .load()
        .migrate();
    TestDatabase.execute(
        settings,
        organization(WITH_WEBHOOK, "aaaa"),
        """
        INSERT INTO endpoints (org_id, id, url, signing_secret, status, created_at, updated_at)
        VALUES ('%s', '%s', 'https://hooks.example.com/gone', 'whsec_c2VjcmV0', 'disabled',
          '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
        """
            .formatted(WITH_WEBHOOK, AN_ENDPOINT));

    // when the server starts on it
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {

      // then the endpoint is as it was, failing no more than it is known to, and counts failures
      OrganizationId organization = new OrganizationId(WITH_WEBHOOK);
      EndpointId id = new EndpointId(AN_ENDPOINT);
      Endpoint endpoint = database.endpoints().find(organization, id).orElseThrow();
      assertThat(endpoint.status()).isEqualTo(EndpointStatus.DISABLED);
      assertThat(endpoint.failures()).isEmpty();
      Instant at = Instant.parse("2026-01-02T00:00:00Z");
      assertThat(database.endpoints().recordFailure(organization, id, at))
          .contains(FailureStreak.startedAt(at));
    }
  }

  @Test
  void keepsADeliveryClaimedBeforeLeasesHadTheirOwnColumnClaimedUntilItsLeaseEnds()
      throws Exception {
    // given a database on the schema whose claims moved the next attempt to the lease's end, with
    // a delivery claimed until then and one due
    PostgresSettings settings = TestDatabase.freshSchema();
    Flyway.configure()
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .target("7")
        .load()
        .migrate();
    Instant dueAt = Instant.parse("2026-01-02T00:00:00Z");
    Instant lease = dueAt.plusSeconds(30);
    TestDatabase.execute(
        settings,
        organization(WITH_WEBHOOK, "aaaa"),
        """
        INSERT INTO endpoints (org_id, id, url, signing_secret, created_at, updated_at)
        VALUES ('%s', '%s', 'https://hooks.example.com/in', 'whsec_c2VjcmV0',
          '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
        """
            .formatted(WITH_WEBHOOK, AN_ENDPOINT),
        event(WITH_WEBHOOK, 1, "'pending', 0, NULL, '%s', NULL, NULL".formatted(dueAt)),
        event(WITH_WEBHOOK, 2, "'pending', 0, NULL, '%s', NULL, NULL".formatted(dueAt)),
        delivery(1, lease),
        delivery(2, dueAt));

    // when the server starts on it
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {

      // then the claimed one is neither due nor claimed before its lease ends, and due after
      OrganizationId organization = new OrganizationId(WITH_WEBHOOK);
      EndpointId endpoint = new EndpointId(AN_ENDPOINT);
      EventId claimed = EventId.parse(eventId(1));
      Instant meanwhile = lease.minusSeconds(1);
      assertThat(database.deliveries().due(meanwhile, Optional.empty(), 10))
          .extracting(task -> task.eventId().toString())
          .containsExactly(eventId(2));
      assertThat(database.deliveries().claim(organization, claimed, endpoint, meanwhile, lease))
          .isEmpty();
      assertThat(database.deliveries().deliveries(organization, claimed).getFirst().delivery())
          .extracting(delivery -> delivery.nextAttemptAt().orElseThrow())
          .isEqualTo(lease);
      assertThat(
              database
                  .deliveries()
                  .claim(organization, claimed, endpoint, lease, lease.plusSeconds(30)))
          .isPresent();
      // and the table leaves room on its pages for claims to stay HOT
      assertThat(
              TestDatabase.count(
                  url(settings),
                  "SELECT count(*) FROM pg_class WHERE oid = 'deliveries'::regclass"
                      + " AND 'fillfactor=80' = ANY(reloptions)"))
          .isEqualTo(1);
    }
  }

  private static String delivery(int event, Instant nextAttemptAt) {
    return ("INSERT INTO deliveries (org_id, event_id, endpoint_id, status, next_attempt_at)"
            + " VALUES ('%s', '%s', '%s', 'pending', '%s')")
        .formatted(WITH_WEBHOOK, eventId(event), AN_ENDPOINT, nextAttemptAt);
  }

  private static String organization(UUID id, String keyHash) {
    return "INSERT INTO organizations (id, name, tier, created_at, api_key_hash)"
        + " VALUES ('%s', 'Org', 'pro', '2026-01-01T00:00:00Z', '%s')".formatted(id, keyHash);
  }

  private static String event(UUID organization, int n, String delivery) {
    return ("INSERT INTO events (org_id, id, type, payload, created_at, delivery_status, attempts,"
            + " last_attempt_at, next_attempt_at, last_error, delivered_at)"
            + " VALUES ('%s', '%s', 'order.created', '{}', '2026-01-02T00:00:00Z', %s)")
        .formatted(organization, eventId(n), delivery);
  }

  private static String eventId(int n) {
    return "019a0000-0000-7000-8000-00000000000" + n;
  }

  private static List<String> deliveries(PostgresSettings settings) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = TestDatabase.connect(settings);
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT org_id, event_id, endpoint_id, status, attempts, last_error"
                    + " FROM deliveries ORDER BY event_id")) {
      while (rs.next()) {
        rows.add(
            String.join(
                " ",
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                String.valueOf(rs.getString(6))));
      }
    }
    return rows;
  }

  private static String url(PostgresSettings settings) {
    return settings.user().isEmpty()
        ? settings.jdbcUrl()
        : settings.jdbcUrl() + "&user=" + settings.user() + "&password=" + settings.password();
  }
}

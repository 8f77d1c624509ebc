package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventInsertsIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static PostgresSettings settings;
  private static Jdbi jdbi;

  @BeforeAll
  static void migrate() {
    settings = TestDatabase.freshSchema();
    PostgresDatabase.start(settings).close();
    jdbi = Jdbi.create(() -> TestDatabase.connect(settings));
    jdbi.registerArrayType(UUID.class, "uuid");
    jdbi.registerArrayType(String.class, "text");
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.truncate(settings);
  }

  @Test
  void tellsEachAppendOfABatchWhichEventsWereStoredAndWhichEventEachOtherDuplicates() {
    // given an event already stored with the dedup id "taken"
    OrganizationId organization = TestEvents.newOrganization();
    Event original = TestEvents.event(organization, "taken", NOW);
    run(new EventInserts.Append(List.of(original), false));
    Event first = TestEvents.event(organization, "a", NOW);
    Event repeat = TestEvents.event(organization, "a", NOW);
    Event taken = TestEvents.event(organization, "taken", NOW);
    Event plain = TestEvents.event(organization, NOW);
    Event repeatOfOtherAppend = TestEvents.event(organization, "a", NOW);
    Event other = TestEvents.event(organization, "c", NOW);

    // when one batch holds two appends that repeat their own, each other's and the stored dedup id
    List<List<AppendResult>> results =
        run(
            new EventInserts.Append(List.of(first, repeat, taken, plain), false),
            new EventInserts.Append(List.of(repeatOfOtherAppend, other), false));

    // then
    assertThat(results)
        .containsExactly(
            List.of(
                new AppendResult.Stored(first),
                new AppendResult.Duplicate(first.id()),
                new AppendResult.Duplicate(original.id()),
                new AppendResult.Stored(plain)),
            List.of(new AppendResult.Duplicate(first.id()), new AppendResult.Stored(other)));
    assertThat(query("SELECT count(*) FROM events", Long.class)).containsExactly(4L);
  }

  @Test
  void fansOutOnlyTheEventsOfScheduledAppendsToTheEndpointsThatTakeTheirType() {
    // given an organization with endpoints for every type, for order.*, for invoices, and paused
    OrganizationId organization = TestEvents.newOrganization();
    UUID all = endpoint(organization, "{}", "enabled");
    UUID orders = endpoint(organization, "{order.*}", "enabled");
    endpoint(organization, "{invoice.paid,order}", "enabled");
    UUID paused = endpoint(organization, "{}", "paused");
    Event scheduled = TestEvents.event(organization, "s", NOW);
    Event unscheduled = TestEvents.event(organization, NOW);

    // when both (of type order.created) are stored in one batch
    List<List<AppendResult>> results =
        run(
            new EventInserts.Append(List.of(scheduled), true),
            new EventInserts.Append(List.of(unscheduled), false));

    // then the scheduled one has a delivery per matching endpoint, due at its creation if enabled
    assertThat(((AppendResult.Stored) results.get(0).getFirst()).dueTo())
        .extracting(EndpointId::value)
        .containsExactlyInAnyOrder(all, orders);
    assertThat(results.get(1)).containsExactly(new AppendResult.Stored(unscheduled));
    assertThat(
            query(
                "SELECT endpoint_id || ' ' || status || ' ' || coalesce(next_attempt_at = "
                    + "'2026-03-01T12:00:00Z', false) FROM deliveries WHERE event_id = '"
                    + scheduled.id()
                    + "'",
                String.class))
        .containsExactlyInAnyOrder(
            all + " pending true", orders + " pending true", paused + " held false");
    assertThat(query("SELECT id FROM events WHERE next_attempt_at = created_at", UUID.class))
        .containsExactly(scheduled.id().value());
    assertThat(query("SELECT count(*) FROM deliveries", Long.class)).containsExactly(3L);
  }

  @Test
  void storesEachEventsCreationTimeToTheMicrosecondEitherSideOfTheEpoch() {
    // given events created at instants with nanoseconds, after and before 1970
    OrganizationId organization = TestEvents.newOrganization();
    Event recent = TestEvents.event(organization, Instant.parse("2026-03-01T12:00:00.123456789Z"));
    Event old = TestEvents.event(organization, Instant.parse("1969-12-31T23:59:59.000001999Z"));

    // when they are stored
    run(new EventInserts.Append(List.of(recent, old), false));

    // then each keeps its time, truncated to the microsecond PostgreSQL keeps
    assertThat(
            query(
                "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
                    + " FROM events ORDER BY created_at",
                String.class))
        .containsExactly("1969-12-31 23:59:59.000001", "2026-03-01 12:00:00.123456");
  }

  /** Stores an organization's endpoint with these filters and status; returns its id. */
  private static UUID endpoint(OrganizationId organization, String eventTypes, String status) {
    UUID id = UUID.randomUUID();
    jdbi.useHandle(
        handle -> {
          handle.execute(
              "INSERT INTO organizations (id, name, tier, created_at, api_key_hash)"
                  + " VALUES (?, 'Org', 'pro', now(), ?) ON CONFLICT DO NOTHING",
              organization.value(),
              organization.value().toString());
          handle.execute(
              "INSERT INTO endpoints (org_id, id, url, signing_secret, event_types, status,"
                  + " created_at, updated_at)"
                  + " VALUES (?, ?, 'https://example.com', 'whsec_a2V5', ?::text[], ?, now(), now())",
              organization.value(),
              id,
              eventTypes,
              status);
        });
    return id;
  }

  private static List<List<AppendResult>> run(EventInserts.Append... appends) {
    return jdbi.withHandle(handle -> new EventInserts().run(handle, List.of(appends)));
  }

  private static <T> List<T> query(String sql, Class<T> type) {
    return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(type).list());
  }
}

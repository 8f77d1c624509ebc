package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

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
  void schedulesTheFirstWebhookAttemptOnlyOfTheEventsOfScheduledAppends() {
    // given
    OrganizationId organization = TestEvents.newOrganization();
    Event scheduled = TestEvents.event(organization, "s", NOW);
    Event unscheduled = TestEvents.event(organization, NOW);

    // when both are stored in one batch
    run(
        new EventInserts.Append(List.of(scheduled), true),
        new EventInserts.Append(List.of(unscheduled), false));

    // then only the scheduled one is due, at its creation time
    assertThat(query("SELECT id FROM events WHERE next_attempt_at = created_at", UUID.class))
        .containsExactly(scheduled.id().value());
    assertThat(query("SELECT count(*) FROM events WHERE next_attempt_at IS NULL", Long.class))
        .containsExactly(1L);
  }

  private static List<List<AppendResult>> run(EventInserts.Append... appends) {
    return jdbi.withHandle(handle -> new EventInserts().run(handle, List.of(appends)));
  }

  private static <T> List<T> query(String sql, Class<T> type) {
    return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(type).list());
  }
}

package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every statement that changes several events locks them in id order, the order of {@link
 * EventSummaries#lock} and of every other transaction that locks several events, whatever order
 * PostgreSQL reads them in: so two of them never wait for each other in a cycle. Here the rows lie
 * in the table against id order, in a table small enough to be read whole, and another transaction,
 * which PostgreSQL would abort on a deadlock, locks them in id order around the statement.
 */
class EventLockOrderIT {

  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = CREATED.plusSeconds(60);
  private static final int MAX_LEASES = 10;

  private final PostgresSettings settings = TestDatabase.freshSchema();
  private final PostgresDatabase database = PostgresDatabase.start(settings);
  private final OrganizationId organization = TestEvents.newOrganization();

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void anAcknowledgementOfSeveralEventsLocksThemInIdOrder() throws Exception {
    // given
    List<EventId> events = storedAgainstIdOrder(() -> {});

    // when
    Set<EventId> acknowledged = whileLockedInIdOrder(events, acknowledgingAll(events));

    // then
    assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(events);
  }

  @Test
  void anAcknowledgementOfALeaseLocksItsEventsInIdOrder() throws Exception {
    // given
    LeaseId lease = new LeaseId(UUID.randomUUID());
    List<EventId> events = storedAgainstIdOrder(() -> leased(lease));

    // when
    LeaseAcknowledgement acknowledgement = whileLockedInIdOrder(events, acknowledgingAll(lease));

    // then
    assertThat(acknowledgement.acknowledged()).containsExactlyElementsOf(events);
  }

  @Test
  void extendingALeaseLocksItsEventsInIdOrder() throws Exception {
    // given
    LeaseId lease = new LeaseId(UUID.randomUUID());
    List<EventId> events = storedAgainstIdOrder(() -> leased(lease));

    // when
    List<EventId> extended =
        whileLockedInIdOrder(
            events,
            () ->
                database
                    .leases()
                    .extend(organization, lease, NOW.plusSeconds(600), NOW, MAX_LEASES)
                    .orElseThrow());

    // then
    assertThat(extended).containsExactlyElementsOf(events);
  }

  @Test
  void releasingALeaseLocksItsEventsInIdOrder() throws Exception {
    // given
    LeaseId lease = new LeaseId(UUID.randomUUID());
    List<EventId> events = storedAgainstIdOrder(() -> leased(lease));

    // when
    List<EventId> released =
        whileLockedInIdOrder(
            events,
            () ->
                database
                    .leases()
                    .release(organization, lease, Optional.empty(), NOW, NOW, MAX_LEASES)
                    .orElseThrow());

    // then
    assertThat(released).containsExactlyElementsOf(events);
  }

  @Test
  void seekingLocksTheEventsItPutsBackInIdOrder() throws Exception {
    // given acknowledged events
    List<EventId> events = storedAgainstIdOrder(() -> {});
    database.inbox().acknowledgeAll(organization, List.of(events.get(1), events.get(0)), NOW);

    // when
    int requeued =
        whileLockedInIdOrder(events, () -> database.leases().seek(organization, CREATED));

    // then
    assertThat(requeued).isEqualTo(2);
  }

  @Test
  void retentionLocksTheEventsItDeletesInIdOrder() throws Exception {
    // given
    List<EventId> events = storedAgainstIdOrder(() -> {});

    // when
    int deleted =
        whileLockedInIdOrder(events, () -> database.events().deleteCreatedBefore(NOW, 100));

    // then
    assertThat(deleted).isEqualTo(2);
    assertThat(database.events().find(organization, events.get(0))).isEmpty();
  }

  @Test
  void anAcknowledgementRolledBackInADeadlockIsRunAgain() throws Exception {
    // given
    List<EventId> events = storedAgainstIdOrder(() -> {});

    // when
    Set<EventId> acknowledged = whileDeadlocked(events, acknowledgingAll(events));

    // then
    assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(events);
  }

  @Test
  void anAcknowledgementOfALeaseRolledBackInADeadlockIsRunAgain() throws Exception {
    // given
    LeaseId lease = new LeaseId(UUID.randomUUID());
    List<EventId> events = storedAgainstIdOrder(() -> leased(lease));

    // when
    LeaseAcknowledgement acknowledgement = whileDeadlocked(events, acknowledgingAll(lease));

    // then
    assertThat(acknowledgement.acknowledged()).containsExactlyElementsOf(events);
  }

  /**
   * Stores two events of the organization, runs {@code arrange}, then moves the first one's row
   * behind the second's in the table, and analyzes the table, so that PostgreSQL reads it whole, in
   * the order of its rows. Answers the events' ids, in id order.
   */
  private List<EventId> storedAgainstIdOrder(Runnable arrange) {
    Event first = TestEvents.event(organization, CREATED);
    Event second = TestEvents.event(organization, CREATED);
    database.events().append(List.of(first, second), DeliveryMethod.PULL);
    arrange.run();
    TestDatabase.execute(
        settings,
        "UPDATE events SET attempts = attempts WHERE id = '" + first.id().value() + "'",
        "ANALYZE events");
    return List.of(first.id(), second.id());
  }

  private void leased(LeaseId lease) {
    Lease taken =
        database
            .leases()
            .lease(
                organization,
                new LeaseRequest(
                    lease, 10, Optional.empty(), NOW, NOW.plusSeconds(300), MAX_LEASES))
            .orElseThrow();
    assertThat(taken.events()).hasSize(2);
  }

  private Supplier<Set<EventId>> acknowledgingAll(List<EventId> events) {
    return () -> database.inbox().acknowledgeAll(organization, events, NOW);
  }

  private Supplier<LeaseAcknowledgement> acknowledgingAll(LeaseId lease) {
    return () ->
        database.leases().acknowledge(organization, lease, Optional.empty(), NOW).orElseThrow();
  }

  /**
   * Runs {@code statement} while another transaction, the one PostgreSQL aborts on a deadlock,
   * locks {@code events} in id order: the first before the statement starts, the second once the
   * statement waits for the first. Answers what the statement answered.
   */
  private <T> T whileLockedInIdOrder(List<EventId> events, Supplier<T> statement) throws Exception {
    return interleaved(InterleavedTransaction.victim(settings), events, statement);
  }

  /**
   * Runs {@code statement} while another transaction locks {@code events} against id order: the
   * second before the statement starts, the first once the statement, holding it, waits for the
   * second. The two then deadlock, and PostgreSQL rolls the statement back, for the other outwaits
   * it. Answers what the statement answered.
   */
  private <T> T whileDeadlocked(List<EventId> events, Supplier<T> statement) throws Exception {
    return interleaved(InterleavedTransaction.survivor(settings), events.reversed(), statement);
  }

  /**
   * Has {@code other} lock the first of {@code events}, runs {@code statement} until it waits, has
   * {@code other} lock the second and commit, and answers what the statement answered.
   */
  private static <T> T interleaved(
      InterleavedTransaction other, List<EventId> events, Supplier<T> statement) throws Exception {
    try (other) {
      other.lockEvent(events.get(0));
      CompletableFuture<T> done = other.startWaiting(statement);
      other.lockEvent(events.get(1));
      other.commit();
      return done.get(30, TimeUnit.SECONDS);
    }
  }
}

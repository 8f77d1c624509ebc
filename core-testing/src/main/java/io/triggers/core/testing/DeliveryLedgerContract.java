package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryLedger} must do: claims under a lease, recording results, the due
 * deliveries and redeliveries; extend it with a factory for the implementation.
 */
public abstract class DeliveryLedgerContract extends EventStorageContract {

  @Test
  void neitherClaimsNorRecordsAnotherOrganizationsDelivery() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    Event event = fixtures.event(owner);
    push(List.of(event));
    Instant now = clock.instant();
    Instant lease = now.plus(LEASE);
    Delivery claimed =
        ledger
            .claim(owner, event.id(), endpointOf(owner), now, lease)
            .orElseThrow()
            .stored()
            .delivery();

    // when / then
    assertThat(ledger.claim(stranger, event.id(), endpointOf(owner), lease, lease.plus(LEASE)))
        .isEmpty();
    assertThat(ledger.record(stranger, event.id(), endpointOf(owner), claimed, delivered(now)))
        .isEmpty();
    assertThat(log.find(owner, event.id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.PENDING);
  }

  @Test
  void schedulingRedeliveryMakesADeliveredEventPendingAgain() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    append(event);
    Delivery delivered = inbox.acknowledge(organization, event.id(), clock.instant()).orElseThrow();
    Instant due = clock.advance(Duration.ofMinutes(1));

    // when
    Optional<Delivery> delivery = redeliver(organization, event.id(), due);

    // then
    assertThat(delivery).contains(delivered.redeliverAt(due));
    assertThat(delivery.map(Delivery::status)).contains(DeliveryStatus.PENDING);
    assertThat(delivery.flatMap(Delivery::nextAttemptAt)).contains(due);
    assertThat(delivery.flatMap(Delivery::deliveredAt)).isEmpty();
    assertThat(ids(inbox.list(organization, InboxQuery.undelivered()))).containsExactly(event.id());
  }

  @Test
  void redeliveryOfAFailedEventCountsItsAttemptsFromZeroAndKeepsTheLastError() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    push(List.of(event));
    Instant attemptedAt = clock.instant();
    Instant lease = attemptedAt.plus(LEASE);
    Delivery claimed =
        ledger
            .claim(organization, event.id(), endpointOf(organization), attemptedAt, lease)
            .orElseThrow()
            .stored()
            .delivery();
    ledger.record(
        organization,
        event.id(),
        endpointOf(organization),
        claimed,
        new AttemptResult.Failed(attemptedAt, "HTTP 500"));
    Instant due = clock.advance(Duration.ofMinutes(1));

    // when
    Optional<Delivery> delivery = redeliver(organization, event.id(), due);

    // then
    assertThat(delivery)
        .contains(
            new Delivery(
                DeliveryStatus.PENDING,
                0,
                Optional.of(attemptedAt),
                Optional.of(due),
                Optional.of("HTTP 500"),
                Optional.empty()));
    assertThat(
            ledger.claim(organization, event.id(), endpointOf(organization), due, due.plus(LEASE)))
        .isPresent();
  }

  @Test
  void schedulingRedeliveryOfAnUnknownEventFindsNothing() throws Exception {
    // when / then
    assertThat(redeliver(organization(), fixtures.eventId(), clock.instant())).isEmpty();
  }

  @Test
  void claimsADueDeliveryAndHoldsItUntilTheLeaseRunsOut() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    push(List.of(event));
    Instant now = clock.advance(STEP);
    Instant lease = now.plus(LEASE);

    // when
    Optional<ClaimedAttempt> claimed =
        ledger.claim(organization, event.id(), endpointOf(organization), now, lease);
    Optional<ClaimedAttempt> again =
        ledger.claim(
            organization,
            event.id(),
            endpointOf(organization),
            lease.minus(STEP),
            lease.plus(LEASE));
    Optional<ClaimedAttempt> afterTheLease =
        ledger.claim(organization, event.id(), endpointOf(organization), lease, lease.plus(LEASE));

    // then
    Delivery leased =
        new Delivery(
            DeliveryStatus.PENDING,
            0,
            Optional.empty(),
            Optional.of(lease),
            Optional.empty(),
            Optional.empty());
    assertThat(claimed.map(ClaimedAttempt::stored)).contains(new StoredEvent(event, leased));
    assertThat(claimed.flatMap(ClaimedAttempt::endpoint).map(Endpoint::id))
        .contains(endpointOf(organization));
    assertThat(again).isEmpty();
    assertThat(afterTheLease.flatMap(s -> s.stored().delivery().nextAttemptAt()))
        .contains(lease.plus(LEASE));
  }

  @Test
  void aClaimReadsTheEndpointAsItIsStoredThen() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    push(List.of(event));
    Endpoint stored = endpoints.find(organization, endpointOf(organization)).orElseThrow();
    endpoints.replace(organization, stored.withStatus(EndpointStatus.PAUSED, clock.instant()));
    Instant now = clock.advance(STEP);

    // when
    Optional<ClaimedAttempt> claimed =
        ledger.claim(organization, event.id(), endpointOf(organization), now, now.plus(LEASE));

    // then
    assertThat(claimed.flatMap(ClaimedAttempt::endpoint).map(Endpoint::status))
        .contains(EndpointStatus.PAUSED);
  }

  @Test
  void aClaimOfADeletedEndpointsDeliveryHasNoEndpoint() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    push(List.of(event));
    endpoints.delete(organization, endpointOf(organization));
    Instant now = clock.advance(STEP);

    // when
    Optional<ClaimedAttempt> claimed =
        ledger.claim(organization, event.id(), endpointOf(organization), now, now.plus(LEASE));

    // then
    assertThat(claimed).isPresent();
    assertThat(claimed.orElseThrow().endpoint()).isEmpty();
  }

  @Test
  void claimsNoDeliveryThatIsNotDueOrNotScheduled() throws Exception {
    // given
    OrganizationId organization = organization();
    Event inboxOnly = fixtures.event(organization);
    append(inboxOnly);
    Event acknowledged = fixtures.event(organization);
    Event later = fixtures.event(organization);
    push(List.of(acknowledged, later));
    inbox.acknowledge(organization, acknowledged.id(), clock.instant());
    Instant now = clock.instant();
    Instant lease = now.plus(LEASE);
    redeliver(organization, later.id(), now.plusSeconds(30));

    // when / then
    assertThat(ledger.claim(organization, inboxOnly.id(), endpointOf(organization), now, lease))
        .isEmpty();
    assertThat(ledger.claim(organization, acknowledged.id(), endpointOf(organization), now, lease))
        .isEmpty();
    assertThat(ledger.claim(organization, later.id(), endpointOf(organization), now, lease))
        .isEmpty();
    assertThat(ledger.claim(organization, fixtures.eventId(), endpointOf(organization), now, lease))
        .isEmpty();
  }

  @Test
  void grantsExactlyOneOfManyConcurrentClaims() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    push(List.of(event));
    Instant now = clock.instant();
    int threads = 20;

    // when
    List<Optional<ClaimedAttempt>> claims =
        Concurrently.run(
            threads,
            i ->
                ledger.claim(
                    organization,
                    event.id(),
                    endpointOf(organization),
                    now,
                    now.plus(LEASE).plusMillis(i)));

    // then
    assertThat(claims).filteredOn(Optional::isPresent).hasSize(1);
  }

  @Test
  void recordsADeliveredAttempt() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Instant attemptedAt = clock.instant();
    Instant deliveredAt = clock.advance(Duration.ofMillis(40));

    // when
    Optional<Delivery> delivery =
        ledger.record(
            organization,
            event.id(),
            endpointOf(organization),
            claimed,
            new AttemptResult.Delivered(attemptedAt, deliveredAt));

    // then
    Delivery expected =
        new Delivery(
            DeliveryStatus.DELIVERED,
            1,
            Optional.of(attemptedAt),
            Optional.empty(),
            Optional.empty(),
            Optional.of(deliveredAt));
    assertThat(delivery).contains(expected);
    assertThat(log.find(organization, event.id()).map(StoredEvent::delivery)).contains(expected);
    assertThat(ids(inbox.list(organization, InboxQuery.undelivered()))).isEmpty();
  }

  @Test
  void keepsEverySummaryWhenManyEventsDeliveriesToSeveralEndpointsAreRecordedAtOnce()
      throws Exception {
    // given: events fanned out to three endpoints each, every delivery claimed
    OrganizationId organization = organization();
    List<EndpointId> targets = new ArrayList<>(List.of(endpointOf(organization)));
    for (int i = 0; i < 2; i++) {
      Endpoint endpoint = fixtures.endpoint();
      endpoints.create(organization, endpoint);
      targets.add(endpoint.id());
    }
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(fixtures.event(organization));
    }
    push(events);
    Instant now = clock.advance(STEP);
    List<Delivery> claimed = new ArrayList<>();
    for (Event event : events) {
      for (EndpointId endpoint : targets) {
        claimed.add(
            ledger
                .claim(organization, event.id(), endpoint, now, now.plus(LEASE))
                .orElseThrow()
                .stored()
                .delivery());
      }
    }

    // when: every result recorded at once
    List<Optional<Delivery>> recorded =
        Concurrently.run(
            claimed.size(),
            i ->
                ledger.record(
                    organization,
                    events.get(i / targets.size()).id(),
                    targets.get(i % targets.size()),
                    claimed.get(i),
                    delivered(now)));

    // then: each event's summary sees all of its deliveries made
    assertThat(recorded).allMatch(Optional::isPresent);
    for (Event event : events) {
      assertThat(log.find(organization, event.id()).map(s -> s.delivery().status()))
          .contains(DeliveryStatus.DELIVERED);
    }
    assertThat(ids(inbox.list(organization, InboxQuery.undelivered()))).isEmpty();
  }

  @Test
  void recordsARetryWithItsErrorAndNextAttemptThenAFailure() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Instant firstAttempt = clock.instant();
    Instant retryAt = firstAttempt.plusSeconds(5);

    // when
    Optional<Delivery> retrying =
        ledger.record(
            organization,
            event.id(),
            endpointOf(organization),
            claimed,
            new AttemptResult.Retrying(firstAttempt, "HTTP 503", retryAt));
    clock.set(retryAt);
    Instant secondLease = retryAt.plus(LEASE);
    Delivery reclaimed =
        ledger
            .claim(organization, event.id(), endpointOf(organization), retryAt, secondLease)
            .orElseThrow()
            .stored()
            .delivery();
    Optional<Delivery> failed =
        ledger.record(
            organization,
            event.id(),
            endpointOf(organization),
            reclaimed,
            new AttemptResult.Failed(retryAt, "timed out after 10 s"));

    // then
    assertThat(retrying)
        .contains(
            new Delivery(
                DeliveryStatus.RETRYING,
                1,
                Optional.of(firstAttempt),
                Optional.of(retryAt),
                Optional.of("HTTP 503"),
                Optional.empty()));
    assertThat(failed)
        .contains(
            new Delivery(
                DeliveryStatus.FAILED,
                2,
                Optional.of(retryAt),
                Optional.empty(),
                Optional.of("timed out after 10 s"),
                Optional.empty()));
    assertThat(ids(inbox.list(organization, InboxQuery.undelivered()))).containsExactly(event.id());
  }

  @Test
  void recordsAnAbandonedDeliveryAsFailedWithoutCountingAnAttempt() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);

    // when
    Optional<Delivery> delivery =
        ledger.record(
            organization,
            event.id(),
            endpointOf(organization),
            claimed,
            new AttemptResult.Abandoned("no webhook"));

    // then
    assertThat(delivery)
        .contains(
            new Delivery(
                DeliveryStatus.FAILED,
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.of("no webhook"),
                Optional.empty()));
  }

  @Test
  void ignoresTheResultOfAnAttemptWhoseEventWasAcknowledgedMeanwhile() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Instant acknowledgedAt = clock.advance(STEP);
    Delivery acknowledged =
        inbox.acknowledge(organization, event.id(), acknowledgedAt).orElseThrow();

    // when
    Optional<Delivery> recorded =
        ledger.record(
            organization,
            event.id(),
            endpointOf(organization),
            claimed,
            new AttemptResult.Retrying(
                clock.instant(), "HTTP 500", claimed.nextAttemptAt().orElseThrow()));

    // then
    assertThat(recorded).isEmpty();
    assertThat(log.find(organization, event.id()).map(StoredEvent::delivery))
        .contains(acknowledged);
  }

  @Test
  void ignoresTheResultOfAnAttemptOvertakenByARedelivery() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Delivery redelivered = redeliver(organization, event.id(), clock.advance(STEP)).orElseThrow();

    // when
    Optional<Delivery> recorded =
        ledger.record(
            organization,
            event.id(),
            endpointOf(organization),
            claimed,
            delivered(clock.instant()));

    // then
    assertThat(recorded).isEmpty();
    assertThat(log.find(organization, event.id()).map(StoredEvent::delivery)).contains(redelivered);
  }

  @Test
  void listsScheduledDeliveriesThatAreDueInOrderOfDueTime() throws Exception {
    // given
    OrganizationId first = organization();
    OrganizationId second = organization();
    Event early = fixtures.event(first);
    clock.advance(STEP);
    Event middle = fixtures.event(second);
    clock.advance(STEP);
    Event late = fixtures.event(first);
    push(List.of(early, late));
    push(List.of(middle));
    Event inboxOnly = fixtures.event(second);
    append(inboxOnly);
    Event acknowledged = fixtures.event(second);
    push(List.of(acknowledged));
    inbox.acknowledge(second, acknowledged.id(), clock.instant());
    Event leased = fixtures.event(first);
    push(List.of(leased));
    Instant now = clock.advance(STEP);
    ledger.claim(first, leased.id(), endpointOf(first), now, now.plus(LEASE));
    Event notYetDue = fixtures.event(second);
    push(List.of(notYetDue));
    redeliver(second, notYetDue.id(), now.plusSeconds(5));

    // when
    List<DeliveryTask> due = ledger.due(now, Optional.empty(), 10);

    // then
    assertThat(due)
        .containsExactly(
            new DeliveryTask(first, early.id(), endpointOf(first), early.createdAt()),
            new DeliveryTask(second, middle.id(), endpointOf(second), middle.createdAt()),
            new DeliveryTask(first, late.id(), endpointOf(first), late.createdAt()));
    assertThat(ledger.due(now.plusSeconds(5), Optional.empty(), 10))
        .extracting(DeliveryTask::eventId)
        .containsExactly(early.id(), middle.id(), late.id(), notYetDue.id());
  }

  @Test
  void pagesThroughDueDeliveriesOfTheSameTimeOnce() throws Exception {
    // given
    List<EventId> scheduled = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      OrganizationId organization = organization();
      List<Event> events =
          List.of(
              fixtures.event(organization),
              fixtures.event(organization),
              fixtures.event(organization));
      push(events);
      scheduled.addAll(ids(events));
    }
    Instant now = clock.instant();

    // when
    List<DeliveryTask> listed = new ArrayList<>();
    Optional<DeliveryTask> after = Optional.empty();
    List<DeliveryTask> page;
    do {
      page = ledger.due(now, after, 5);
      listed.addAll(page);
      after = page.isEmpty() ? after : Optional.of(page.getLast());
    } while (page.size() == 5);

    // then
    assertThat(listed)
        .extracting(DeliveryTask::eventId)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(scheduled);
    assertThat(listed).allSatisfy(task -> assertThat(task.dueAt()).isEqualTo(now));
  }

  @Test
  void forgetsTheDueDeliveryOfADeletedEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    push(List.of(event));

    // when
    log.delete(organization, event.id());

    // then
    assertThat(ledger.due(clock.instant(), Optional.empty(), 10)).isEmpty();
    assertThat(
            ledger.claim(
                organization,
                event.id(),
                endpointOf(organization),
                clock.instant(),
                clock.instant()))
        .isEmpty();
  }

  @Test
  void aClaimedDeliveryIsNeitherSweptNorClaimedUntilItsLeaseRunsOutThenIsDueAgain()
      throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Instant lease = claimed.nextAttemptAt().orElseThrow();
    Instant beforeTheLeaseEnds = lease.minus(STEP);

    // when
    List<DeliveryTask> dueMeanwhile = ledger.due(beforeTheLeaseEnds, Optional.empty(), 10);
    Optional<ClaimedAttempt> claimedMeanwhile =
        ledger.claim(
            organization,
            event.id(),
            endpointOf(organization),
            beforeTheLeaseEnds,
            beforeTheLeaseEnds.plus(LEASE));
    // The node that claimed it died: its lease runs out unrecorded.
    List<DeliveryTask> dueOnceItEnded = ledger.due(lease, Optional.empty(), 10);
    Optional<ClaimedAttempt> claimedAgain =
        ledger.claim(organization, event.id(), endpointOf(organization), lease, lease.plus(LEASE));
    Optional<Delivery> lateResult =
        ledger.record(
            organization, event.id(), endpointOf(organization), claimed, delivered(lease));

    // then
    assertThat(dueMeanwhile).isEmpty();
    assertThat(claimedMeanwhile).isEmpty();
    assertThat(dueOnceItEnded).extracting(DeliveryTask::eventId).containsExactly(event.id());
    assertThat(claimedAgain).isPresent();
    assertThat(lateResult).isEmpty();
    assertThat(ledger.deliveries(organization, event.id()).getFirst().delivery().nextAttemptAt())
        .contains(lease.plus(LEASE));
  }

  @Test
  void aRedeliveryOfAnAttemptUnderWayIsDueOnlyWhenItsLeaseRunsOut() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Instant lease = claimed.nextAttemptAt().orElseThrow();
    Instant now = clock.advance(STEP);

    // when
    Optional<List<DeliveryTask>> tasks =
        ledger.scheduleRedelivery(organization, event.id(), List.of(endpointOf(organization)), now);

    // then
    assertThat(tasks)
        .contains(
            List.of(new DeliveryTask(organization, event.id(), endpointOf(organization), lease)));
    assertThat(ledger.claim(organization, event.id(), endpointOf(organization), now, lease))
        .isEmpty();
    assertThat(ledger.due(lease.minus(STEP), Optional.empty(), 10)).isEmpty();
    assertThat(
            ledger.record(
                organization, event.id(), endpointOf(organization), claimed, delivered(now)))
        .isEmpty();
    assertThat(ledger.deliveries(organization, event.id()).getFirst().delivery())
        .isEqualTo(claimed);
    assertThat(
            ledger.claim(
                organization, event.id(), endpointOf(organization), lease, lease.plus(LEASE)))
        .isPresent();
  }
}

package io.triggers.core.testing;

import static io.triggers.core.model.DeliveryMethod.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.InboxStatus;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.LeasedEvent;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.InboxLeases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InboxLeases} must do: leasing oldest first, each event to one lease at a time,
 * expiry, extend, release with a delay, the dead-letter path and its revival, seek, and leases
 * scoped to their organization; extend it with a factory for the implementation.
 */
public abstract class InboxLeasesContract extends EventStorageContract {

  private static final int MAX_LEASES = 3;
  private static final Duration LEASE_LENGTH = Duration.ofSeconds(60);

  @Test
  void leasesTheOldestEventsFirstUpToTheLimit() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 5);

    // when
    Lease lease = lease(organization, 3).orElseThrow();

    // then
    assertThat(leasedIds(lease)).containsExactlyElementsOf(ids(events.subList(0, 3)));
    assertThat(lease.leasedUntil()).isEqualTo(clock.instant().plus(LEASE_LENGTH));
    assertThat(lease.events()).allSatisfy(leased -> assertThat(leased.leaseCount()).isOne());
    assertThat(lease.events().getFirst().event()).isEqualTo(events.getFirst());
  }

  @Test
  void neverHandsAnEventToTwoLiveLeases() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 5);
    Lease first = lease(organization, 3).orElseThrow();

    // when
    Lease second = lease(organization, 3).orElseThrow();
    Optional<Lease> third = lease(organization, 3);

    // then
    assertThat(leasedIds(second)).containsExactlyElementsOf(ids(events.subList(3, 5)));
    assertThat(third).isEmpty();
    assertThat(first.id()).isNotEqualTo(second.id());
  }

  @Test
  void concurrentLeasesNeverShareAnEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSameMillisecondEvents(organization, 1000);

    // when
    List<List<EventId>> leased =
        Concurrently.run(
            16,
            consumer -> {
              List<EventId> mine = new ArrayList<>();
              Optional<Lease> lease;
              while ((lease = lease(organization, 5)).isPresent()) {
                mine.addAll(leasedIds(lease.get()));
              }
              return mine;
            });

    // then
    List<EventId> all = leased.stream().flatMap(List::stream).toList();
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(events));
  }

  @Test
  void leasesOnlyTheTypeAskedFor() throws Exception {
    // given
    OrganizationId organization = organization();
    EventType paid = new EventType("order.paid");
    append(fixtures.event(organization));
    Event wanted = fixtures.event(organization, paid);
    append(wanted);

    // when
    Lease lease = leases.lease(organization, request(10, Optional.of(paid))).orElseThrow();

    // then
    assertThat(leasedIds(lease)).containsExactly(wanted.id());
  }

  @Test
  void leasesNothingAcknowledgedNorAnotherOrganizations() throws Exception {
    // given
    OrganizationId organization = organization();
    OrganizationId other = organization();
    Event acknowledged = appendSpacedEvents(organization, 1).getFirst();
    inbox.acknowledge(organization, acknowledged.id(), clock.instant());
    appendSpacedEvents(other, 2);

    // when
    Optional<Lease> lease = lease(organization, 10);

    // then
    assertThat(lease).isEmpty();
  }

  @Test
  void eventsOfALeaseThatRanOutAreLeasedAgain() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 2);
    lease(organization, 10).orElseThrow();

    // when
    clock.advance(LEASE_LENGTH.minusMillis(1));
    Optional<Lease> tooEarly = lease(organization, 10);
    clock.advance(Duration.ofMillis(1));
    Lease again = lease(organization, 10).orElseThrow();

    // then
    assertThat(tooEarly).isEmpty();
    assertThat(leasedIds(again)).containsExactlyElementsOf(ids(events));
    assertThat(again.events()).allSatisfy(leased -> assertThat(leased.leaseCount()).isEqualTo(2));
  }

  @Test
  void ackThroughALeaseAcknowledgesAsTheInboxDoes() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);
    Lease lease = lease(organization, 10).orElseThrow();
    Instant at = clock.advance(STEP);

    // when
    LeaseAcknowledgement result =
        leases
            .acknowledge(organization, lease.id(), Optional.of(Set.of(events.get(1).id())), at)
            .orElseThrow();
    LeaseAcknowledgement rest =
        leases.acknowledge(organization, lease.id(), Optional.empty(), at).orElseThrow();

    // then
    assertThat(result.acknowledged()).containsExactly(events.get(1).id());
    assertThat(result.expired()).isEmpty();
    assertThat(rest.acknowledged()).containsExactlyElementsOf(ids(events));
    assertThat(deliveredAt(organization, events.get(1).id())).contains(at);
    assertThat(inbox.list(organization, InboxQuery.undelivered()).events()).isEmpty();
  }

  @Test
  void ackThroughALeaseThatRanOutIsRefusedOnlyForEventsAnotherLeaseTook() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 2);
    Lease first = lease(organization, 10).orElseThrow();
    clock.advance(LEASE_LENGTH);
    Lease second = lease(organization, 1).orElseThrow();

    // when
    LeaseAcknowledgement late =
        leases
            .acknowledge(organization, first.id(), Optional.empty(), clock.instant())
            .orElseThrow();

    // then
    assertThat(leasedIds(second)).containsExactly(events.get(0).id());
    assertThat(late.expired()).containsExactly(events.get(0).id());
    assertThat(late.acknowledged()).containsExactly(events.get(1).id());
    assertThat(deliveredAt(organization, events.get(0).id())).isEmpty();
  }

  @Test
  void ackNamesTheIdsTheLeaseNeverHeld() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 2);
    Lease lease = lease(organization, 1).orElseThrow();

    // when
    LeaseAcknowledgement result =
        leases
            .acknowledge(
                organization,
                lease.id(),
                Optional.of(Set.of(events.get(0).id(), events.get(1).id())),
                clock.instant())
            .orElseThrow();

    // then
    assertThat(result.acknowledged()).containsExactly(events.get(0).id());
    assertThat(result.notInLease()).containsExactly(events.get(1).id());
    assertThat(deliveredAt(organization, events.get(1).id())).isEmpty();
  }

  @Test
  void anotherOrganizationsLeaseIsUnknown() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId other = organization();
    appendSpacedEvents(owner, 2);
    appendSpacedEvents(other, 1);
    Lease lease = lease(owner, 10).orElseThrow();
    Instant now = clock.instant();

    // when, then
    assertThat(leases.acknowledge(other, lease.id(), Optional.empty(), now)).isEmpty();
    assertThat(leases.extend(other, lease.id(), now.plusSeconds(60), now, MAX_LEASES)).isEmpty();
    assertThat(leases.release(other, lease.id(), Optional.empty(), now, now, MAX_LEASES)).isEmpty();
    assertThat(leases.acknowledge(owner, fixtures.ids().newLeaseId(), Optional.empty(), now))
        .isEmpty();
    assertThat(leasedIds(lease)).hasSize(2);
    assertThat(lease(owner, 10)).isEmpty();
  }

  @Test
  void extendKeepsTheEventsHeldPastTheFirstEnd() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 2);
    Lease lease = lease(organization, 10).orElseThrow();
    Instant now = clock.advance(Duration.ofSeconds(30));
    Instant until = now.plus(LEASE_LENGTH);

    // when
    List<EventId> extended =
        leases.extend(organization, lease.id(), until, now, MAX_LEASES).orElseThrow();
    clock.advance(LEASE_LENGTH.minusMillis(1));

    // then
    assertThat(extended).containsExactlyElementsOf(ids(events));
    assertThat(lease(organization, 10)).isEmpty();
    assertThat(leases.state(organization, events.getFirst().id()).orElseThrow().leasableAt())
        .contains(until);
  }

  @Test
  void extendHoldsNothingOnceAnotherLeaseTookTheEvents() throws Exception {
    // given
    OrganizationId organization = organization();
    appendSpacedEvents(organization, 1);
    Lease first = lease(organization, 10).orElseThrow();
    clock.advance(LEASE_LENGTH);
    lease(organization, 10).orElseThrow();
    Instant now = clock.instant();

    // when
    Optional<List<EventId>> extended =
        leases.extend(organization, first.id(), now.plus(LEASE_LENGTH), now, MAX_LEASES);

    // then
    assertThat(extended).contains(List.of());
  }

  @Test
  void aLeaseThatRanOutStillHoldsWhatNobodyTook() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = appendSpacedEvents(organization, 1).getFirst();
    Lease lease = lease(organization, 10).orElseThrow();
    Instant now = clock.advance(LEASE_LENGTH.plusSeconds(1));

    // when
    Optional<List<EventId>> extended =
        leases.extend(organization, lease.id(), now.plus(LEASE_LENGTH), now, MAX_LEASES);

    // then
    assertThat(extended).contains(List.of(event.id()));
    assertThat(lease(organization, 10)).isEmpty();
  }

  @Test
  void releasedEventsAreLeasableAtOnce() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 2);
    Lease lease = lease(organization, 10).orElseThrow();
    Instant now = clock.instant();

    // when
    List<EventId> released =
        leases
            .release(
                organization,
                lease.id(),
                Optional.of(Set.of(events.get(1).id())),
                now,
                now,
                MAX_LEASES)
            .orElseThrow();
    Lease again = lease(organization, 10).orElseThrow();

    // then
    assertThat(released).containsExactly(events.get(1).id());
    assertThat(leasedIds(again)).containsExactly(events.get(1).id());
    LeaseAcknowledgement late =
        leases.acknowledge(organization, lease.id(), Optional.empty(), now).orElseThrow();
    assertThat(late.acknowledged()).containsExactly(events.get(0).id());
    assertThat(late.expired()).containsExactly(events.get(1).id());
  }

  @Test
  void aReleaseWithADelayKeepsTheEventOutUntilThen() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = appendSpacedEvents(organization, 1).getFirst();
    Lease lease = lease(organization, 10).orElseThrow();
    Instant now = clock.instant();
    Instant availableAt = now.plusSeconds(120);

    // when
    leases.release(organization, lease.id(), Optional.empty(), availableAt, now, MAX_LEASES);
    clock.advance(Duration.ofSeconds(120).minusMillis(1));
    Optional<Lease> tooEarly = lease(organization, 10);
    clock.advance(Duration.ofMillis(1));

    // then
    assertThat(tooEarly).isEmpty();
    assertThat(leasedIds(lease(organization, 10).orElseThrow())).containsExactly(event.id());
  }

  @Test
  void anEventDiesWhenItsLastLeaseRunsOut() throws Exception {
    // given
    OrganizationId organization = organization();
    Event poison = appendSpacedEvents(organization, 1).getFirst();
    for (int i = 0; i < MAX_LEASES; i++) {
      assertThat(lease(organization, 10)).isPresent();
      clock.advance(LEASE_LENGTH.minusMillis(1));
      assertThat(dead(organization)).isEmpty();
      clock.advance(Duration.ofMillis(1));
    }
    Event healthy = appendSpacedEvents(organization, 1).getFirst();

    // when
    Lease next = lease(organization, 10).orElseThrow();

    // then
    assertThat(leasedIds(next)).containsExactly(healthy.id());
    assertThat(dead(organization)).containsExactly(poison.id());
    InboxState state = leases.state(organization, poison.id()).orElseThrow();
    assertThat(state.leaseCount()).isEqualTo(MAX_LEASES);
    assertThat(state.status(false, clock.instant(), MAX_LEASES)).isEqualTo(InboxStatus.DEAD);
  }

  @Test
  void anEventDiesWhenReleasedOnItsLastLease() throws Exception {
    // given
    OrganizationId organization = organization();
    Event poison = appendSpacedEvents(organization, 1).getFirst();
    Lease last = null;
    for (int i = 0; i < MAX_LEASES; i++) {
      last = lease(organization, 10).orElseThrow();
      Instant now = clock.instant();
      leases.release(
          organization, last.id(), Optional.empty(), now.plusSeconds(600), now, MAX_LEASES);
      clock.advance(Duration.ofSeconds(600));
    }
    Instant now = clock.instant();

    // when, then
    assertThat(dead(organization)).containsExactly(poison.id());
    assertThat(lease(organization, 10)).isEmpty();
    assertThat(leases.extend(organization, last.id(), now.plusSeconds(60), now, MAX_LEASES))
        .contains(List.of());
  }

  @Test
  void aRevivedEventIsLeasableWithAFreshCount() throws Exception {
    // given
    OrganizationId organization = organization();
    Event poison = appendSpacedEvents(organization, 1).getFirst();
    Event other = appendSpacedEvents(organization, 1).getFirst();
    killBy(organization, MAX_LEASES);
    Instant now = clock.instant();

    // when
    boolean revived = leases.revive(organization, poison.id(), now, MAX_LEASES);
    boolean revivedAgain = leases.revive(organization, poison.id(), now, MAX_LEASES);

    // then
    assertThat(revived).isTrue();
    assertThat(revivedAgain).isFalse();
    assertThat(leases.revive(organization, fixtures.eventId(), now, MAX_LEASES)).isFalse();
    assertThat(dead(organization)).containsExactly(other.id());
    Lease lease = leases.lease(organization, request(1, Optional.empty())).orElseThrow();
    assertThat(lease.events()).extracting(LeasedEvent::leaseCount).containsExactly(1);
    assertThat(leasedIds(lease)).containsExactly(poison.id());
  }

  @Test
  void seekReopensWhatWasAcknowledgedSinceTheTimeButNotTheDead() throws Exception {
    // given
    OrganizationId organization = organization();
    Event before = appendSpacedEvents(organization, 1).getFirst();
    Event dead = appendSpacedEvents(organization, 1).getFirst();
    Instant from = clock.advance(STEP);
    Event acknowledged = fixtures.event(organization);
    append(acknowledged);
    Event pushed = fixtures.event(organization);
    log.append(List.of(pushed), PUSH);
    Instant at = clock.advance(STEP);
    inbox.acknowledgeAll(organization, List.of(before.id(), acknowledged.id(), pushed.id()), at);
    killBy(organization, MAX_LEASES);

    // when
    int requeued = leases.seek(organization, from);

    // then
    assertThat(requeued).isEqualTo(2);
    assertThat(dead(organization)).containsExactly(dead.id());
    StoredEvent reopened = log.find(organization, pushed.id()).orElseThrow();
    assertThat(reopened.delivery().status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(reopened.delivery().isScheduled()).isFalse();
    assertThat(leases.state(organization, acknowledged.id())).contains(InboxState.fresh());
    Lease lease = lease(organization, 10).orElseThrow();
    assertThat(leasedIds(lease)).containsExactly(acknowledged.id(), pushed.id());
    assertThat(deliveredAt(organization, before.id())).contains(at);
  }

  @Test
  void theStateOfAnEventShowsItsLease() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = appendSpacedEvents(organization, 1).getFirst();
    Optional<InboxState> fresh = leases.state(organization, event.id());
    Lease lease = lease(organization, 10).orElseThrow();

    // when
    InboxState state = leases.state(organization, event.id()).orElseThrow();

    // then
    assertThat(fresh).contains(InboxState.fresh());
    assertThat(state.lease()).contains(lease.id());
    assertThat(state.leaseCount()).isOne();
    assertThat(state.leasableAt()).contains(lease.leasedUntil());
    assertThat(leases.state(organization(), event.id())).isEmpty();
  }

  /** Leases and lets run out every leasable event of the organization {@code times} times. */
  private void killBy(OrganizationId organization, int times) {
    for (int i = 0; i < times; i++) {
      lease(organization, 100).orElseThrow();
      clock.advance(LEASE_LENGTH);
    }
  }

  private Optional<Lease> lease(OrganizationId organization, int limit) {
    return leases.lease(organization, request(limit, Optional.empty()));
  }

  private LeaseRequest request(int limit, Optional<EventType> type) {
    Instant now = clock.instant();
    return new LeaseRequest(
        fixtures.ids().newLeaseId(), limit, type, now, now.plus(LEASE_LENGTH), MAX_LEASES);
  }

  private List<EventId> dead(OrganizationId organization) {
    return ids(
        leases.dead(
            organization, query(DeliveryStatus.UNDELIVERED, 100), clock.instant(), MAX_LEASES));
  }

  private static List<EventId> leasedIds(Lease lease) {
    return lease.events().stream().map(leased -> leased.event().id()).toList();
  }
}

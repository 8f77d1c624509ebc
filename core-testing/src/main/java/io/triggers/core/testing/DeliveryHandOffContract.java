package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryLedger.RecordedAndClaimed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryLedger} must do when an attempt's result is recorded together with the
 * claim of the next attempt to its endpoint ({@link DeliveryLedger#recordAndClaim}); extend it with
 * a factory for the implementation.
 */
public abstract class DeliveryHandOffContract extends EventStorageContract {

  @Test
  void recordsTheResultAndClaimsTheNextDeliveryToTheSameEndpoint() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization);
    Event next = fixtures.event(organization);
    push(List.of(next));
    Delivery claimed = appendAndClaim(organization, first);
    Instant now = clock.advance(Duration.ofMillis(40));
    Instant lease = now.plus(LEASE);

    // when
    RecordedAndClaimed written =
        ledger.recordAndClaim(
            organization,
            first.id(),
            endpointOf(organization),
            claimed,
            delivered(now),
            next.id(),
            now,
            lease);

    // then: the result is recorded, the next delivery claimed until the lease, and nobody else's
    assertThat(written.recorded().map(Delivery::status)).contains(DeliveryStatus.DELIVERED);
    assertThat(log.find(organization, first.id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.DELIVERED);
    assertThat(written.next().map(ClaimedAttempt::stored).map(s -> s.event().id()))
        .contains(next.id());
    assertThat(written.next().map(ClaimedAttempt::stored).map(StoredEvent::delivery))
        .hasValueSatisfying(d -> assertThat(d.nextAttemptAt()).contains(lease));
    assertThat(written.next().flatMap(ClaimedAttempt::endpoint)).isPresent();
    assertThat(ledger.claim(organization, next.id(), endpointOf(organization), now, lease))
        .isEmpty();
  }

  @Test
  void aStaleResultIsNotRecordedAndItsNextClaimIsJudgedOnItsOwn() throws Exception {
    // given: a claim that ran out and was claimed anew, an event claimed by someone else, and one
    // not yet due
    OrganizationId organization = organization();
    EndpointId endpoint = endpointOf(organization);
    Event first = fixtures.event(organization);
    Event taken = fixtures.event(organization);
    push(List.of(taken));
    Delivery stale = appendAndClaim(organization, first);
    Instant later = clock.advance(LEASE.plusSeconds(1));
    assertThat(ledger.claim(organization, first.id(), endpoint, later, later.plus(LEASE)))
        .isPresent();
    assertThat(ledger.claim(organization, taken.id(), endpoint, later, later.plus(LEASE)))
        .isPresent();
    Event notDue = fixtures.event(organization);
    push(List.of(notDue));
    Instant beforeDue = notDue.createdAt().minusSeconds(1);

    // when
    RecordedAndClaimed onTaken =
        ledger.recordAndClaim(
            organization,
            first.id(),
            endpoint,
            stale,
            delivered(later),
            taken.id(),
            later,
            later.plus(LEASE));
    RecordedAndClaimed onNotDue =
        ledger.recordAndClaim(
            organization,
            first.id(),
            endpoint,
            stale,
            delivered(later),
            notDue.id(),
            beforeDue,
            beforeDue.plus(LEASE));

    // then: nothing recorded, nothing claimed, the newer claims stand
    assertThat(onTaken.recorded()).isEmpty();
    assertThat(onTaken.next()).isEmpty();
    assertThat(onNotDue.recorded()).isEmpty();
    assertThat(onNotDue.next()).isEmpty();
    assertThat(log.find(organization, first.id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.PENDING);
    assertThat(ledger.claim(organization, first.id(), endpoint, later, later.plus(LEASE)))
        .isEmpty();
    assertThat(
            ledger.claim(
                organization, notDue.id(), endpoint, notDue.createdAt(), later.plus(LEASE)))
        .isPresent();
  }

  @Test
  void aStaleResultStillClaimsADueNextDelivery() throws Exception {
    // given
    OrganizationId organization = organization();
    EndpointId endpoint = endpointOf(organization);
    Event first = fixtures.event(organization);
    Event next = fixtures.event(organization);
    push(List.of(next));
    Delivery stale = appendAndClaim(organization, first);
    Instant later = clock.advance(LEASE.plusSeconds(1));
    assertThat(ledger.claim(organization, first.id(), endpoint, later, later.plus(LEASE)))
        .isPresent();

    // when
    RecordedAndClaimed written =
        ledger.recordAndClaim(
            organization,
            first.id(),
            endpoint,
            stale,
            delivered(later),
            next.id(),
            later,
            later.plus(LEASE));

    // then
    assertThat(written.recorded()).isEmpty();
    assertThat(written.next().map(c -> c.stored().event().id())).contains(next.id());
  }

  @Test
  void claimsNothingOfAnotherOrganization() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    Event mine = fixtures.event(stranger);
    Event theirs = fixtures.event(owner);
    push(List.of(theirs));
    Delivery claimed = appendAndClaim(stranger, mine);
    Instant now = clock.instant();

    // when: the stranger names the owner's event as its next, to the owner's endpoint
    RecordedAndClaimed written =
        ledger.recordAndClaim(
            stranger,
            mine.id(),
            endpointOf(owner),
            claimed,
            delivered(now),
            theirs.id(),
            now,
            now.plus(LEASE));

    // then
    assertThat(written.recorded()).isEmpty();
    assertThat(written.next()).isEmpty();
    assertThat(ledger.claim(owner, theirs.id(), endpointOf(owner), now, now.plus(LEASE)))
        .isPresent();
  }

  @Test
  void grantsExactlyOneOfConcurrentClaimsWhetherMadeAloneOrWithAResult() throws Exception {
    // given: one due delivery, and ten claimed ones whose results come with a claim of it
    OrganizationId organization = organization();
    EndpointId endpoint = endpointOf(organization);
    Event contested = fixtures.event(organization);
    push(List.of(contested));
    List<Event> previous = new ArrayList<>();
    List<Delivery> claimed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Event event = fixtures.event(organization);
      previous.add(event);
      claimed.add(appendAndClaim(organization, event));
    }
    Instant now = clock.advance(Duration.ofMillis(40));

    // when
    List<RecordedAndClaimed> written =
        Concurrently.run(
            20,
            i ->
                i % 2 == 0
                    ? new RecordedAndClaimed(
                        Optional.empty(),
                        ledger.claim(
                            organization,
                            contested.id(),
                            endpoint,
                            now,
                            now.plus(LEASE).plusMillis(i)))
                    : ledger.recordAndClaim(
                        organization,
                        previous.get(i / 2).id(),
                        endpoint,
                        claimed.get(i / 2),
                        delivered(now),
                        contested.id(),
                        now,
                        now.plus(LEASE).plusMillis(i)));

    // then
    assertThat(written).filteredOn(w -> w.next().isPresent()).hasSize(1);
    assertThat(written).filteredOn(w -> w.recorded().isPresent()).hasSize(10);
    assertThat(previous)
        .allSatisfy(
            e ->
                assertThat(log.find(organization, e.id()).map(s -> s.delivery().status()))
                    .contains(DeliveryStatus.DELIVERED));
  }
}

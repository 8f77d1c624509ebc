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
        handOff(organization, first, endpointOf(organization), claimed, next, now);

    // then: the result is recorded, the next delivery claimed until the lease, and nobody else's
    assertThat(written.recorded().map(Delivery::status)).contains(DeliveryStatus.DELIVERED);
    assertThat(statusOf(organization, first)).contains(DeliveryStatus.DELIVERED);
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
    RecordedAndClaimed onTaken = handOff(organization, first, endpoint, stale, taken, later);
    RecordedAndClaimed onNotDue =
        handOff(
            organization, first, endpoint, stale, later, notDue, beforeDue, beforeDue.plus(LEASE));

    // then: nothing recorded, nothing claimed, the newer claims stand
    assertThat(onTaken.recorded()).isEmpty();
    assertThat(onTaken.next()).isEmpty();
    assertThat(onNotDue.recorded()).isEmpty();
    assertThat(onNotDue.next()).isEmpty();
    assertThat(statusOf(organization, first)).contains(DeliveryStatus.PENDING);
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
    RecordedAndClaimed written = handOff(organization, first, endpoint, stale, next, later);

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
    RecordedAndClaimed written = handOff(stranger, mine, endpointOf(owner), claimed, theirs, now);

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
                    : handOff(
                        organization,
                        previous.get(i / 2),
                        endpoint,
                        claimed.get(i / 2),
                        now,
                        contested,
                        now,
                        now.plus(LEASE).plusMillis(i)));

    // then
    assertThat(written).filteredOn(w -> w.next().isPresent()).hasSize(1);
    assertThat(written).filteredOn(w -> w.recorded().isPresent()).hasSize(10);
    assertThat(previous)
        .allSatisfy(e -> assertThat(statusOf(organization, e)).contains(DeliveryStatus.DELIVERED));
  }

  /**
   * Records {@code first}'s claimed attempt as delivered at {@code now} and claims {@code next}'s
   * delivery to the endpoint, due by then, for a {@link #LEASE} from then.
   */
  private RecordedAndClaimed handOff(
      OrganizationId organization,
      Event first,
      EndpointId endpoint,
      Delivery claimed,
      Event next,
      Instant now) {
    return handOff(organization, first, endpoint, claimed, now, next, now, now.plus(LEASE));
  }

  /**
   * Records {@code first}'s claimed attempt as delivered at {@code deliveredAt} and claims {@code
   * next}'s delivery to the endpoint, due by {@code dueBy}, until {@code leaseUntil}.
   */
  private RecordedAndClaimed handOff(
      OrganizationId organization,
      Event first,
      EndpointId endpoint,
      Delivery claimed,
      Instant deliveredAt,
      Event next,
      Instant dueBy,
      Instant leaseUntil) {
    return ledger.recordAndClaim(
        organization,
        first.id(),
        endpoint,
        claimed,
        delivered(deliveredAt),
        next.id(),
        dueBy,
        leaseUntil);
  }

  /** The event's own delivery status, if the log has it. */
  private Optional<DeliveryStatus> statusOf(OrganizationId organization, Event event) {
    return log.find(organization, event.id()).map(stored -> stored.delivery().status());
  }
}

package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Event;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.port.out.LeaseBacklog.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseBacklog} must report over the event store it reads: the events leases hold
 * now and the dead ones, of all organizations, as {@link io.triggers.core.model.InboxState} tells
 * them apart; extend it with a factory for the storage and the backlog over it.
 */
public abstract class LeaseBacklogContract extends EventStorageContract {

  private static final int MAX_LEASES = 2;
  private static final Duration LEASE_LENGTH = Duration.ofSeconds(60);

  /** The backlog over the storage {@link #newStorage()} returned last. */
  protected abstract LeaseBacklog leaseBacklog();

  @Test
  void anEmptyStoreHasNoLeasedNorDeadEvents() {
    assertThat(snapshot()).isEqualTo(Snapshot.empty());
  }

  @Test
  void countsTheEventsLeasesHoldInEveryOrganization() throws Exception {
    // given
    OrganizationId first = organization();
    OrganizationId second = organization();
    appendSpacedEvents(first, 3);
    appendSpacedEvents(second, 2);
    lease(first, 2);
    lease(second, 5);

    // when
    Snapshot snapshot = snapshot();

    // then
    assertThat(snapshot).isEqualTo(new Snapshot(4, 0));
  }

  @Test
  void anAcknowledgedOrReleasedEventIsNoLongerLeased() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);
    Lease lease = lease(organization, 3);
    inbox.acknowledge(organization, events.get(0).id(), clock.instant());
    leases.release(
        organization,
        lease.id(),
        Optional.of(Set.of(events.get(1).id())),
        clock.instant().plus(LEASE_LENGTH),
        clock.instant(),
        MAX_LEASES);

    // when
    Snapshot snapshot = snapshot();

    // then
    assertThat(snapshot).isEqualTo(new Snapshot(1, 0));
  }

  @Test
  void aLeaseThatRanOutHoldsNothingAndItsLastAllowedLeaseLeavesTheEventDead() throws Exception {
    // given
    OrganizationId organization = organization();
    appendSpacedEvents(organization, 2);
    lease(organization, 2);
    clock.advance(LEASE_LENGTH.plusSeconds(1));
    assertThat(snapshot()).isEqualTo(Snapshot.empty());
    lease(organization, 1);

    // when
    Snapshot whileLeased = snapshot();
    clock.advance(LEASE_LENGTH.plusSeconds(1));
    Snapshot afterwards = snapshot();

    // then
    assertThat(whileLeased).isEqualTo(new Snapshot(1, 0));
    assertThat(afterwards).isEqualTo(new Snapshot(0, 1));
  }

  @Test
  void aDeadEventThatIsAcknowledgedOrRevivedIsNoLongerCounted() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 2);
    for (int i = 0; i < MAX_LEASES; i++) {
      lease(organization, 2);
      clock.advance(LEASE_LENGTH.plusSeconds(1));
    }
    assertThat(snapshot()).isEqualTo(new Snapshot(0, 2));

    // when
    inbox.acknowledge(organization, events.get(0).id(), clock.instant());
    leases.revive(organization, events.get(1).id(), clock.instant(), MAX_LEASES);

    // then
    assertThat(snapshot()).isEqualTo(Snapshot.empty());
  }

  private Snapshot snapshot() {
    return leaseBacklog().snapshot(clock.instant(), MAX_LEASES);
  }

  private Lease lease(OrganizationId organization, int limit) {
    Instant now = clock.instant();
    return leases
        .lease(
            organization,
            new LeaseRequest(
                fixtures.ids().newLeaseId(),
                limit,
                Optional.empty(),
                now,
                now.plus(LEASE_LENGTH),
                MAX_LEASES))
        .orElseThrow();
  }
}

package io.triggers.core.testing;

import static io.triggers.core.model.DeliveryMethod.PULL;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryBacklog.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryBacklog} must report over the event store it reads: due deliveries of
 * all organizations and the oldest of them, retrying and failed ones; extend it with a factory for
 * the storage and the backlog over it.
 */
public abstract class DeliveryBacklogContract extends EventStorageContract {

  /** The backlog over the storage {@link #newStorage()} returned last. */
  protected abstract DeliveryBacklog backlog();

  @Test
  void anEmptyStoreHasNoBacklog() {
    assertThat(backlog().snapshot(clock.instant())).isEqualTo(Snapshot.empty());
  }

  @Test
  void countsTheDueDeliveriesOfEveryOrganizationAndWhenTheOldestFellDue() throws Exception {
    // given
    OrganizationId first = organization();
    OrganizationId second = organization();
    Event oldest = pushed(first);
    clock.advance(Duration.ofSeconds(1));
    pushed(second);
    clock.advance(Duration.ofSeconds(1));
    pushed(first);
    log.append(List.of(fixtures.event(first)), PULL);

    // when
    Snapshot snapshot = backlog().snapshot(clock.instant());

    // then
    assertThat(snapshot.due()).isEqualTo(3);
    assertThat(snapshot.oldestDue()).contains(oldest.createdAt());
    assertThat(snapshot.oldestDueAge(clock.instant())).isEqualTo(Duration.ofSeconds(2));
    assertThat(snapshot.retrying()).isZero();
    assertThat(snapshot.failed()).isZero();
  }

  @Test
  void doesNotCountDeliveriesThatAreNotDueYet() throws Exception {
    // given
    OrganizationId organization = organization();
    Instant before = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    pushed(organization);

    // when
    Snapshot snapshot = backlog().snapshot(before);

    // then
    assertThat(snapshot.due()).isZero();
    assertThat(snapshot.oldestDue()).isEmpty();
  }

  @Test
  void aClaimedAttemptIsNotDueUntilItsLeaseEnds() throws Exception {
    // given
    OrganizationId organization = organization();
    appendAndClaim(organization, fixtures.event(organization));

    // when / then
    assertThat(backlog().snapshot(clock.instant()).due()).isZero();
    assertThat(backlog().snapshot(clock.instant().plus(LEASE)).due()).isEqualTo(1);
  }

  @Test
  void countsRetryingDeliveriesWhetherOrNotTheirNextAttemptIsDue() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    Instant attemptedAt = clock.instant();
    Instant next = attemptedAt.plus(Duration.ofMinutes(1));
    ledger.record(
        organization,
        event.id(),
        endpointOf(organization),
        claimed,
        new AttemptResult.Retrying(attemptedAt, "HTTP 500", next));

    // when
    Snapshot waiting = backlog().snapshot(attemptedAt);
    Snapshot due = backlog().snapshot(next.plusSeconds(1));

    // then
    assertThat(waiting.retrying()).isEqualTo(1);
    assertThat(waiting.due()).isZero();
    assertThat(due.retrying()).isEqualTo(1);
    assertThat(due.due()).isEqualTo(1);
    assertThat(due.oldestDue()).contains(next);
  }

  @Test
  void countsFailedDeliveriesUntilTheyAreAcknowledged() throws Exception {
    // given
    OrganizationId organization = organization();
    Event failed = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, failed);
    ledger.record(
        organization,
        failed.id(),
        endpointOf(organization),
        claimed,
        new AttemptResult.Failed(clock.instant(), "HTTP 410 Gone"));
    Event delivered = fixtures.event(organization);
    Delivery other = appendAndClaim(organization, delivered);
    ledger.record(
        organization, delivered.id(), endpointOf(organization), other, delivered(clock.instant()));

    // when
    Snapshot before = backlog().snapshot(clock.instant());
    inbox.acknowledge(organization, failed.id(), clock.advance(STEP));
    Snapshot after = backlog().snapshot(clock.instant());

    // then
    assertThat(before).isEqualTo(new Snapshot(0, 0, 1, 0, Optional.empty()));
    assertThat(after).isEqualTo(Snapshot.empty());
  }

  @Test
  void countsHeldDeliveriesUntilTheirEndpointIsEnabled() throws Exception {
    // given an endpoint paused before an event arrives for it
    OrganizationId organization = organization();
    EndpointId endpoint = endpointOf(organization);
    Endpoint enabled = endpoints.find(organization, endpoint).orElseThrow();
    endpoints.replace(organization, enabled.withStatus(EndpointStatus.PAUSED, clock.instant()));
    pushed(organization);

    // when
    Snapshot whilePaused = backlog().snapshot(clock.instant());
    ledger.release(organization, endpoint, clock.instant());
    Snapshot released = backlog().snapshot(clock.instant());

    // then
    assertThat(whilePaused.held()).isEqualTo(1);
    assertThat(whilePaused.due()).isZero();
    assertThat(released.held()).isZero();
    assertThat(released.due()).isEqualTo(1);
  }

  private Event pushed(OrganizationId organization) {
    Event event = fixtures.event(organization);
    push(List.of(event));
    return event;
  }
}

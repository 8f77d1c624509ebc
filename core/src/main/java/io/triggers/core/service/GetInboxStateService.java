package io.triggers.core.service;

import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.InboxStatus;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.GetInboxState;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Reads an event's lease state and says what it means now. */
public final class GetInboxStateService implements GetInboxState {

  private final InboxLeases leases;
  private final Clock clock;
  private final int maxLeases;

  /** Counts an event as dead once its {@code maxLeases}th lease ran out or was released. */
  public GetInboxStateService(InboxLeases leases, Clock clock, int maxLeases) {
    this.leases = leases;
    this.clock = clock;
    this.maxLeases = InboxState.requireMaxLeases(maxLeases);
  }

  @Override
  public View get(OrganizationId organization, StoredEvent event) {
    InboxState state = leases.state(organization, event.event().id()).orElseGet(InboxState::fresh);
    Instant now = clock.instant();
    InboxStatus status =
        state.status(event.delivery().status() == DeliveryStatus.DELIVERED, now, maxLeases);
    Optional<Instant> leasedUntil =
        status == InboxStatus.LEASED ? state.leasableAt() : Optional.empty();
    return new View(status, state.leaseCount(), leasedUntil);
  }
}

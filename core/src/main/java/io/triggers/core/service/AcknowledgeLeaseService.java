package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AcknowledgeLease;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** Acknowledges a lease's events at the current time. */
public final class AcknowledgeLeaseService implements AcknowledgeLease {

  private final InboxLeases leases;
  private final Clock clock;

  /** Creates the use case on the driven ports it needs. */
  public AcknowledgeLeaseService(InboxLeases leases, Clock clock) {
    this.leases = leases;
    this.clock = clock;
  }

  @Override
  public Optional<LeaseAcknowledgement> acknowledge(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids) {
    if (ids.isPresent() && ids.get().size() > AcknowledgeEvents.MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "at most " + AcknowledgeEvents.MAX_BATCH_SIZE + " ids at once");
    }
    return leases.acknowledge(organization, lease, ids, clock.instant());
  }
}

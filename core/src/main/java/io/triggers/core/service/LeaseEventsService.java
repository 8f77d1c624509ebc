package io.triggers.core.service;

import io.triggers.core.model.InboxState;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Takes a new lease of the oldest leasable events, under a fresh unguessable id. */
public final class LeaseEventsService implements LeaseEvents {

  private final InboxLeases leases;
  private final IdGenerator ids;
  private final Clock clock;
  private final int maxLeases;

  /** Leases events at most {@code maxLeases} times each before they are dead. */
  public LeaseEventsService(InboxLeases leases, IdGenerator ids, Clock clock, int maxLeases) {
    this.leases = leases;
    this.ids = ids;
    this.clock = clock;
    this.maxLeases = InboxState.requireMaxLeases(maxLeases);
  }

  @Override
  public Optional<Lease> lease(OrganizationId organization, Command command) {
    Instant now = clock.instant();
    return leases.lease(
        organization,
        new LeaseRequest(
            ids.newLeaseId(),
            command.limit(),
            command.type(),
            now,
            now.plus(Duration.ofSeconds(command.leaseSeconds())),
            maxLeases));
  }
}

package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ExtendLease;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Moves the end of a lease for the events it still holds. */
public final class ExtendLeaseService implements ExtendLease {

  private final InboxLeases leases;
  private final Clock clock;
  private final int maxLeases;

  /** Counts events leased {@code maxLeases} times and run out as dead, held by nobody. */
  public ExtendLeaseService(InboxLeases leases, Clock clock, int maxLeases) {
    this.leases = leases;
    this.clock = clock;
    this.maxLeases = InboxState.requireMaxLeases(maxLeases);
  }

  @Override
  public Outcome extend(OrganizationId organization, LeaseId lease, int leaseSeconds) {
    LeaseEvents.Command.requireLeaseSeconds(leaseSeconds);
    Instant now = clock.instant();
    Instant until = now.plus(Duration.ofSeconds(leaseSeconds));
    Optional<List<EventId>> held = leases.extend(organization, lease, until, now, maxLeases);
    if (held.isEmpty()) {
      return new Outcome.NotFound();
    }
    return held.get().isEmpty()
        ? new Outcome.Expired()
        : new Outcome.Extended(lease, until, held.get());
  }
}

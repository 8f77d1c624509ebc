package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ReleaseLease;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Lets go of a lease's events, leasable again after the delay asked for. */
public final class ReleaseLeaseService implements ReleaseLease {

  private final InboxLeases leases;
  private final Clock clock;
  private final int maxLeases;

  /** Makes an event released on its {@code maxLeases}th lease dead. */
  public ReleaseLeaseService(InboxLeases leases, Clock clock, int maxLeases) {
    this.leases = leases;
    this.clock = clock;
    this.maxLeases = InboxState.requireMaxLeases(maxLeases);
  }

  @Override
  public Optional<List<EventId>> release(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids, int delaySeconds) {
    ReleaseLease.requireDelaySeconds(delaySeconds);
    Instant now = clock.instant();
    return leases.release(
        organization, lease, ids, now.plus(Duration.ofSeconds(delaySeconds)), now, maxLeases);
  }
}

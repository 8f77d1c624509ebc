package io.triggers.core.memory;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.LeaseBacklog;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;

/**
 * The leased and dead events of an {@link InMemoryEventStore}, counted by scanning every
 * organization's leased events without their locks; obtained from {@link
 * InMemoryEventStore#leaseBacklog}.
 */
final class InMemoryLeaseBacklog implements LeaseBacklog {

  private final ConcurrentMap<OrganizationId, OrganizationEvents> organizations;

  InMemoryLeaseBacklog(ConcurrentMap<OrganizationId, OrganizationEvents> organizations) {
    this.organizations = organizations;
  }

  @Override
  public Snapshot snapshot(Instant now, int maxLeases) {
    long leased = 0;
    long dead = 0;
    for (OrganizationEvents stored : organizations.values()) {
      Snapshot one = stored.leases().snapshot(now, maxLeases);
      leased += one.leased();
      dead += one.dead();
    }
    return new Snapshot(leased, dead);
  }
}

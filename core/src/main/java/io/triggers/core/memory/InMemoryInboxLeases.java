package io.triggers.core.memory;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.InboxLeases;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The inbox leases of an {@link InMemoryEventStore}'s events, each organization's under the same
 * lock as its events; obtained from {@link InMemoryEventStore#leases}.
 */
final class InMemoryInboxLeases implements InboxLeases {

  private final ConcurrentMap<OrganizationId, OrganizationEvents> organizations;

  InMemoryInboxLeases(ConcurrentMap<OrganizationId, OrganizationEvents> organizations) {
    this.organizations = organizations;
  }

  @Override
  public Optional<Lease> lease(OrganizationId organization, LeaseRequest request) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? Optional.empty() : stored.locked(() -> stored.leases().lease(request));
  }

  @Override
  public Optional<LeaseAcknowledgement> acknowledge(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids, Instant at) {
    return underLock(organization, stored -> stored.leases().acknowledge(lease, ids, at));
  }

  @Override
  public Optional<List<EventId>> extend(
      OrganizationId organization, LeaseId lease, Instant until, Instant now, int maxLeases) {
    return underLock(organization, stored -> stored.leases().extend(lease, until, now, maxLeases));
  }

  @Override
  public Optional<List<EventId>> release(
      OrganizationId organization,
      LeaseId lease,
      Optional<Set<EventId>> ids,
      Instant availableAt,
      Instant now,
      int maxLeases) {
    return underLock(
        organization, stored -> stored.leases().release(lease, ids, availableAt, now, maxLeases));
  }

  @Override
  public int seek(OrganizationId organization, Instant from) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? 0 : stored.locked(() -> stored.leases().seek(from));
  }

  @Override
  public boolean revive(OrganizationId organization, EventId id, Instant now, int maxLeases) {
    OrganizationEvents stored = organizations.get(organization);
    return stored != null && stored.locked(() -> stored.leases().revive(id, now, maxLeases));
  }

  @Override
  public Optional<InboxState> state(OrganizationId organization, EventId id) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null || stored.find(id).isEmpty()
        ? Optional.empty()
        : Optional.of(stored.leases().state(id));
  }

  @Override
  public InboxPage dead(OrganizationId organization, InboxQuery query, Instant now, int maxLeases) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null
        ? new InboxPage(List.of(), Optional.empty())
        : stored.leases().dead(query, now, maxLeases);
  }

  /** Runs {@code work} on the organization's events under its lock; empty if it has none. */
  private <T> Optional<T> underLock(
      OrganizationId organization, Function<OrganizationEvents, Optional<T>> work) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? Optional.empty() : stored.locked(() -> work.apply(stored));
  }
}

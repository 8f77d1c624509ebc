package io.triggers.core.memory;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.LeaseBacklog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * Events and their deliveries held in this process's memory, behind the event store's ports (one
 * storage, so each sees the others' writes); nothing survives a restart. Events are fanned out to
 * the endpoints of the {@link InMemoryEndpoints} it is given.
 *
 * <p>Deleting an event frees its dedup id, as a database's unique index would once the row is gone.
 * Writes of one organization take turns; reads never wait. Every change of a delivery is one of
 * {@link Delivery}'s transitions. Scheduled deliveries are also kept in one index by due time, so
 * finding the due ones never scans the organizations' events; counting the retrying and failed ones
 * for the {@link DeliveryBacklog} does. Inbox leases live beside each organization's events, under
 * the same lock.
 */
public final class InMemoryEventStore implements EventLog, Inbox, DeliveryLedger, DeliveryBacklog {

  private final ConcurrentMap<OrganizationId, OrganizationEvents> organizations =
      new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Due> due = new ConcurrentSkipListSet<>();
  private final Endpoints endpoints;
  private final InMemoryInboxLeases leases = new InMemoryInboxLeases(organizations);
  private final AttemptLog attemptLog = EventAttempts.logOf(organizations);

  /** A store with endpoints of its own, none to begin with. */
  public InMemoryEventStore() {
    this(new InMemoryEndpoints());
  }

  /** A store that fans events out to the endpoints of {@code endpoints}. */
  public InMemoryEventStore(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** The endpoints this store fans events out to. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** The log of this store's webhook attempts, which {@link #record} writes. */
  public AttemptLog attemptLog() {
    return attemptLog;
  }

  /** The inbox leases of this store's events, sharing each organization's lock with them. */
  public InboxLeases leases() {
    return leases;
  }

  /** The counts of the leased and dead events of this store, for an operator's gauges. */
  public LeaseBacklog leaseBacklog() {
    return new InMemoryLeaseBacklog(organizations);
  }

  @Override
  public List<AppendResult> append(List<Event> events, DeliveryMethod method) {
    List<AppendResult> results = new ArrayList<>(events.size());
    for (Event event : events) {
      OrganizationEvents stored =
          organizations.computeIfAbsent(event.organizationId(), id -> new OrganizationEvents(due));
      Map<EndpointId, Delivery> fanOut = new LinkedHashMap<>();
      if (method == DeliveryMethod.PUSH) {
        for (Endpoint endpoint : endpoints.list(event.organizationId())) {
          if (endpoint.subscribesTo(event.type())) {
            fanOut.put(
                endpoint.id(),
                endpoint.isEnabled() ? Delivery.scheduled(event.createdAt()) : Delivery.heldBack());
          }
        }
      }
      results.add(stored.locked(() -> stored.append(event, fanOut)));
    }
    return results;
  }

  @Override
  public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? Optional.empty() : stored.find(id);
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    OrganizationEvents stored = organizations.get(organization);
    return stored != null && stored.locked(() -> stored.delete(id));
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1");
    }
    int deleted = 0;
    for (OrganizationEvents stored : organizations.values()) {
      int wanted = maxEvents - deleted;
      deleted += stored.locked(() -> stored.deleteCreatedBefore(cutoff, wanted));
      if (deleted == maxEvents) {
        break;
      }
    }
    return deleted;
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? new InboxPage(List.of(), Optional.empty()) : stored.list(query);
  }

  @Override
  public Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at) {
    return underLock(
        organization, stored -> stored.updateAll(id, delivery -> delivery.acknowledged(at)));
  }

  @Override
  public Set<EventId> acknowledgeAll(
      OrganizationId organization, Collection<EventId> ids, Instant at) {
    OrganizationEvents stored = organizations.get(organization);
    if (stored == null) {
      return Set.of();
    }
    Set<EventId> found = new HashSet<>();
    stored.locked(
        () -> {
          for (EventId id : ids) {
            if (stored.updateAll(id, delivery -> delivery.acknowledged(at)).isPresent()) {
              found.add(id);
            }
          }
          return found;
        });
    return Set.copyOf(found);
  }

  @Override
  public Optional<ClaimedAttempt> claim(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Instant now,
      Instant leaseUntil) {
    return underLock(organization, stored -> stored.claim(id, endpoint, now, leaseUntil))
        .map(event -> new ClaimedAttempt(event, endpoints.find(organization, endpoint)));
  }

  @Override
  public Optional<Delivery> record(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result) {
    Delivery recorded = claimed.after(result);
    return underLock(
        organization,
        stored -> {
          if (!stored.stillClaimed(id, endpoint, claimed)) {
            return Optional.empty();
          }
          DeliveryAttempt.of(endpoint, result).ifPresent(made -> stored.attempts().add(id, made));
          return stored.update(id, endpoint, unused -> recorded, true);
        });
  }

  @Override
  public List<DeliveryTask> due(Instant dueBy, Optional<DeliveryTask> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    NavigableSet<Due> from = after.isPresent() ? due.tailSet(Due.of(after.get()), false) : due;
    List<DeliveryTask> tasks = new ArrayList<>(Math.min(limit, 64));
    for (Due entry : from) {
      if (tasks.size() == limit || entry.at().isAfter(dueBy)) {
        break;
      }
      tasks.add(entry.task());
    }
    return tasks;
  }

  @Override
  public Optional<List<DeliveryTask>> scheduleRedelivery(
      OrganizationId organization, EventId id, Collection<EndpointId> endpoints, Instant dueAt) {
    return underLock(organization, stored -> stored.redeliver(id, endpoints, dueAt));
  }

  @Override
  public List<EndpointDelivery> deliveries(OrganizationId organization, EventId id) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? List.of() : stored.deliveries(id);
  }

  @Override
  public int release(OrganizationId organization, EndpointId endpoint, Instant dueAt) {
    return underLock(
            organization,
            stored -> Optional.of(stored.updateEvery(endpoint, d -> d.releasedAt(dueAt))))
        .orElse(0);
  }

  @Override
  public int recover(
      OrganizationId org, EndpointId endpoint, Instant since, Instant dueAt, boolean hold) {
    OrganizationEvents stored = organizations.get(org);
    return stored == null ? 0 : stored.locked(() -> stored.recover(endpoint, since, dueAt, hold));
  }

  @Override
  public int endAll(OrganizationId organization, EndpointId endpoint, String reason) {
    return underLock(
            organization, stored -> Optional.of(stored.updateEvery(endpoint, d -> d.ended(reason))))
        .orElse(0);
  }

  @Override
  public Snapshot snapshot(Instant now) {
    long dueNow = 0;
    Optional<Instant> oldest = Optional.empty();
    for (Due entry : due) {
      if (entry.at().isAfter(now)) {
        break;
      }
      if (oldest.isEmpty()) {
        oldest = Optional.of(entry.at());
      }
      dueNow++;
    }
    long retrying = 0;
    long failed = 0;
    long held = 0;
    for (OrganizationEvents stored : organizations.values()) {
      retrying += stored.countDeliveries(DeliveryStatus.RETRYING);
      failed += stored.countDeliveries(DeliveryStatus.FAILED);
      held += stored.countDeliveries(DeliveryStatus.HELD);
    }
    return new Snapshot(dueNow, retrying, failed, held, oldest);
  }

  /** Runs {@code work} on the organization's events under its lock; empty if it has none. */
  private <T> Optional<T> underLock(
      OrganizationId organization, Function<OrganizationEvents, Optional<T>> work) {
    OrganizationEvents stored = organizations.get(organization);
    return stored == null ? Optional.empty() : stored.locked(() -> work.apply(stored));
  }
}

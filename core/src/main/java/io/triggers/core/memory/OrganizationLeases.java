package io.triggers.core.memory;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.LeasedEvent;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.LeaseBacklog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * One organization's inbox leases in memory: each event's {@link InboxState} and the events each
 * lease took. Read freely, written only under the organization's lock, as its events are.
 */
final class OrganizationLeases {

  private final OrganizationEvents events;
  private final ConcurrentMap<EventId, InboxState> states = new ConcurrentHashMap<>();
  private final ConcurrentMap<LeaseId, List<EventId>> leases = new ConcurrentHashMap<>();

  OrganizationLeases(OrganizationEvents events) {
    this.events = events;
  }

  InboxState state(EventId id) {
    return states.getOrDefault(id, InboxState.fresh());
  }

  /** Under the lock: forgets a deleted event's state. */
  void forget(EventId id) {
    states.remove(id);
  }

  /** Under the lock. */
  Optional<Lease> lease(LeaseRequest request) {
    List<LeasedEvent> taken = new ArrayList<>(request.limit());
    for (StoredEvent stored : events.undeliveredOldestFirst()) {
      if (taken.size() == request.limit()) {
        break;
      }
      Event event = stored.event();
      InboxState state = state(event.id());
      if (request.type().filter(type -> !type.equals(event.type())).isPresent()
          || !state.isLeasable(request.now(), request.maxLeases())) {
        continue;
      }
      InboxState leased = state.leased(request.id(), request.until());
      states.put(event.id(), leased);
      taken.add(new LeasedEvent(event, leased.leaseCount()));
    }
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    leases.put(request.id(), taken.stream().map(leased -> leased.event().id()).toList());
    return Optional.of(new Lease(request.id(), request.until(), taken));
  }

  /** Under the lock. */
  Optional<LeaseAcknowledgement> acknowledge(
      LeaseId lease, Optional<Set<EventId>> ids, Instant at) {
    List<EventId> took = leases.get(lease);
    if (took == null) {
      return Optional.empty();
    }
    List<EventId> acknowledged = new ArrayList<>();
    List<EventId> expired = new ArrayList<>();
    for (EventId id : chosen(took, ids)) {
      boolean accepted =
          events.find(id).isPresent()
              && state(id).acceptsAckThrough(lease)
              && events.updateAll(id, delivery -> delivery.acknowledged(at)).isPresent();
      (accepted ? acknowledged : expired).add(id);
    }
    List<EventId> notInLease =
        ids.orElse(Set.of()).stream().filter(id -> !took.contains(id)).sorted().toList();
    return Optional.of(new LeaseAcknowledgement(acknowledged, expired, notInLease));
  }

  /** Under the lock. */
  Optional<List<EventId>> extend(LeaseId lease, Instant until, Instant now, int maxLeases) {
    return change(lease, Optional.empty(), now, maxLeases, state -> state.extended(until));
  }

  /** Under the lock. */
  Optional<List<EventId>> release(
      LeaseId lease, Optional<Set<EventId>> ids, Instant availableAt, Instant now, int maxLeases) {
    return change(lease, ids, now, maxLeases, state -> state.released(availableAt, now, maxLeases));
  }

  /** Applies {@code transition} to the chosen events the lease still holds; returns them. */
  private Optional<List<EventId>> change(
      LeaseId lease,
      Optional<Set<EventId>> ids,
      Instant now,
      int maxLeases,
      UnaryOperator<InboxState> transition) {
    List<EventId> took = leases.get(lease);
    if (took == null) {
      return Optional.empty();
    }
    List<EventId> changed = new ArrayList<>();
    for (EventId id : chosen(took, ids)) {
      InboxState state = state(id);
      if (isInInbox(id) && state.isHeldBy(lease, now, maxLeases)) {
        states.put(id, transition.apply(state));
        changed.add(id);
      }
    }
    return Optional.of(changed);
  }

  /** Under the lock. */
  int seek(Instant from) {
    int reopened = 0;
    for (StoredEvent stored : events.createdFrom(from)) {
      if (stored.delivery().status() == DeliveryStatus.DELIVERED) {
        EventId id = stored.event().id();
        events.updateSummary(id, Delivery::reopened);
        states.remove(id);
        reopened++;
      }
    }
    return reopened;
  }

  /** Under the lock. */
  boolean revive(EventId id, Instant now, int maxLeases) {
    if (!isInInbox(id) || !state(id).isDead(now, maxLeases)) {
      return false;
    }
    states.remove(id);
    return true;
  }

  InboxPage dead(InboxQuery query, Instant now, int maxLeases) {
    return events.list(
        query,
        stored ->
            stored.delivery().status() != DeliveryStatus.DELIVERED
                && state(stored.event().id()).isDead(now, maxLeases));
  }

  /** The events of the inbox a lease holds at {@code now}, and the dead ones. */
  LeaseBacklog.Snapshot snapshot(Instant now, int maxLeases) {
    long leased = 0;
    long dead = 0;
    for (var entry : states.entrySet()) {
      if (isInInbox(entry.getKey())) {
        switch (entry.getValue().status(false, now, maxLeases)) {
          case LEASED -> leased++;
          case DEAD -> dead++;
          case AVAILABLE, ACKNOWLEDGED -> {}
        }
      }
    }
    return new LeaseBacklog.Snapshot(leased, dead);
  }

  private boolean isInInbox(EventId id) {
    return events
        .find(id)
        .filter(stored -> stored.delivery().status() != DeliveryStatus.DELIVERED)
        .isPresent();
  }

  private static List<EventId> chosen(List<EventId> took, Optional<Set<EventId>> ids) {
    return ids.isEmpty() ? took : took.stream().filter(ids.get()::contains).toList();
  }
}

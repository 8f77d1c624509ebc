package io.triggers.core.memory;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One organization's events and their deliveries in memory. The maps (and this organization's
 * entries in the shared due index) are read freely but written only under {@link #locked}, so that
 * writes of one organization take turns while reads never wait. Each event's delivery state is the
 * summary of its deliveries ({@link Delivery#leastAdvanced}), or its own state while it has none.
 *
 * <p>It is longer than most classes because the events, their deliveries and the indexes over them
 * change together under one lock.
 */
final class OrganizationEvents {

  private final ReentrantLock lock = new ReentrantLock();
  private final NavigableSet<Due> due;
  private final ConcurrentSkipListMap<Position, StoredEvent> all = new ConcurrentSkipListMap<>();
  // The default listing skips delivered events without scanning them.
  private final ConcurrentSkipListMap<Position, StoredEvent> undelivered =
      new ConcurrentSkipListMap<>();
  private final ConcurrentMap<EventId, Position> positions = new ConcurrentHashMap<>();
  private final Map<DedupId, EventId> dedupIds = new HashMap<>();
  private final OrganizationLeases leases = new OrganizationLeases(this);
  private final EventAttempts attempts = new EventAttempts();
  // Each event's deliveries in the order of its fan-out; an unmodifiable map, replaced on change.
  private final ConcurrentMap<EventId, Map<EndpointId, Delivery>> deliveries =
      new ConcurrentHashMap<>();
  // The lease of each delivery's last claim, until a result, a redelivery or a release ends it:
  // the claim holds only while its lease is here, and a redelivery waits for it to run out.
  private final Map<Claim, Instant> claims = new HashMap<>();

  OrganizationEvents(NavigableSet<Due> due) {
    this.due = due;
  }

  /** This organization's logged webhook attempts, written under the same lock. */
  EventAttempts attempts() {
    return attempts;
  }

  /** This organization's inbox leases, guarded by the same lock. */
  OrganizationLeases leases() {
    return leases;
  }

  /** Runs {@code work} holding this organization's write lock. */
  <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  Optional<StoredEvent> find(EventId id) {
    Position position = positions.get(id);
    return position == null ? Optional.empty() : Optional.ofNullable(all.get(position));
  }

  /** How many deliveries are in {@code status}; no lock. */
  long countDeliveries(DeliveryStatus status) {
    return deliveries.values().stream()
        .flatMap(byEndpoint -> byEndpoint.values().stream())
        .filter(delivery -> delivery.status() == status)
        .count();
  }

  /** The event's deliveries in the order of its fan-out; no lock. */
  List<EndpointDelivery> deliveries(EventId id) {
    Map<EndpointId, Delivery> byEndpoint = deliveries.getOrDefault(id, Map.of());
    List<EndpointDelivery> list = new ArrayList<>(byEndpoint.size());
    byEndpoint.forEach((endpoint, delivery) -> list.add(new EndpointDelivery(endpoint, delivery)));
    return list;
  }

  /** The event's delivery to the endpoint, if it has one; no lock. */
  Optional<Delivery> delivery(EventId id, EndpointId endpoint) {
    return Optional.ofNullable(deliveries.getOrDefault(id, Map.of()).get(endpoint));
  }

  /**
   * Under the lock: stores the event, pending in the inbox with the deliveries of {@code fanOut},
   * unless its dedup id is taken.
   */
  AppendResult append(Event event, Map<EndpointId, Delivery> fanOut) {
    if (event.dedupId().isPresent()) {
      EventId holder = dedupIds.get(event.dedupId().get());
      if (holder != null) {
        return new AppendResult.Duplicate(holder);
      }
    }
    if (positions.containsKey(event.id())) {
      throw new TriggersException("event " + event.id() + " is already stored");
    }
    Position position = Position.of(event);
    positions.put(event.id(), position);
    event.dedupId().ifPresent(dedupId -> dedupIds.put(dedupId, event.id()));
    all.put(position, new StoredEvent(event, Delivery.pending()));
    undelivered.put(position, all.get(position));
    putDeliveries(event, new LinkedHashMap<>(fanOut));
    List<EndpointId> dueTo = new ArrayList<>();
    fanOut.forEach(
        (endpoint, delivery) -> {
          if (delivery.isScheduled()) {
            dueTo.add(endpoint);
          }
        });
    // A new event is pending, its first attempt due at its creation if any delivery is: held ones
    // count only once one of its deliveries changes, as the summary is kept by the database too.
    putSummary(event, dueTo.isEmpty() ? Delivery.pending() : Delivery.scheduled(event.createdAt()));
    return new AppendResult.Stored(event, dueTo);
  }

  /** Under the lock: deletes the event and frees its dedup id. */
  boolean delete(EventId id) {
    Position position = positions.remove(id);
    if (position == null) {
      return false;
    }
    StoredEvent removed = all.remove(position);
    undelivered.remove(position);
    unindex(removed.event(), deliveries.getOrDefault(id, Map.of()));
    deliveries.remove(id);
    claims.keySet().removeIf(claim -> claim.id().equals(id));
    removed.event().dedupId().ifPresent(dedupId -> dedupIds.remove(dedupId, id));
    leases.forget(id);
    attempts.forget(id);
    return true;
  }

  /** Under the lock: deletes up to {@code max} of the oldest events created before the cutoff. */
  int deleteCreatedBefore(Instant cutoff, int max) {
    int deleted = 0;
    while (deleted < max) {
      Map.Entry<Position, StoredEvent> oldest = all.firstEntry();
      if (oldest == null || !oldest.getValue().event().createdAt().isBefore(cutoff)) {
        break;
      }
      delete(oldest.getKey().id());
      deleted++;
    }
    return deleted;
  }

  /**
   * Under the lock: replaces the event's delivery to {@code endpoint} by what {@code transition}
   * makes of it, and if {@code summarize} (any transition but a claim, which changes no status) the
   * event's summary too, ending the delivery's claim; empty if the event has no such delivery.
   */
  Optional<Delivery> update(
      EventId id, EndpointId endpoint, UnaryOperator<Delivery> transition, boolean summarize) {
    Optional<StoredEvent> current = find(id);
    Delivery before = deliveries.getOrDefault(id, Map.of()).get(endpoint);
    if (current.isEmpty() || before == null) {
      return Optional.empty();
    }
    Delivery after = transition.apply(before);
    Map<EndpointId, Delivery> changed = new LinkedHashMap<>(deliveries.get(id));
    changed.put(endpoint, after);
    Delivery summary = current.get().delivery();
    putDeliveries(current.get().event(), changed);
    if (!summarize) {
      putSummary(current.get().event(), summary);
    } else {
      claims.remove(new Claim(id, endpoint));
    }
    return Optional.of(after);
  }

  /**
   * Under the lock: applies {@code transition} to every delivery to {@code endpoint}, of every
   * event; returns how many it changed.
   */
  int updateEvery(EndpointId endpoint, UnaryOperator<Delivery> transition) {
    int changed = 0;
    for (EventId id : List.copyOf(deliveries.keySet())) {
      Delivery before = deliveries.getOrDefault(id, Map.of()).get(endpoint);
      if (before == null) {
        continue;
      }
      Delivery after = transition.apply(before);
      if (!after.equals(before)) {
        update(id, endpoint, unused -> after, true);
        changed++;
      }
    }
    return changed;
  }

  /**
   * Under the lock: {@link Delivery#recoveredAt} of the failed deliveries to {@code endpoint} of
   * the events created at or after {@code from}; returns how many it recovered.
   */
  int recover(EndpointId endpoint, Instant from, Instant dueAt, boolean hold) {
    int recovered = 0;
    for (StoredEvent stored : createdFrom(from)) {
      EventId id = stored.event().id();
      if (delivery(id, endpoint).filter(d -> d.status() == DeliveryStatus.FAILED).isPresent()) {
        update(id, endpoint, failed -> failed.recoveredAt(dueAt, hold), true);
        recovered++;
      }
    }
    return recovered;
  }

  /**
   * Under the lock: applies {@code transition} to every delivery of the event, or to the event's
   * own state while it has none; returns the event's state after it, or empty if there is no such
   * event.
   */
  Optional<Delivery> updateAll(EventId id, UnaryOperator<Delivery> transition) {
    Optional<StoredEvent> current = find(id);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Map<EndpointId, Delivery> before = deliveries.getOrDefault(id, Map.of());
    if (before.isEmpty()) {
      Delivery delivery = transition.apply(current.get().delivery());
      putSummary(current.get().event(), delivery);
      return Optional.of(delivery);
    }
    Map<EndpointId, Delivery> changed = new LinkedHashMap<>();
    before.forEach((endpoint, delivery) -> changed.put(endpoint, transition.apply(delivery)));
    putDeliveries(current.get().event(), changed);
    // The summary takes the same transition, as the database applies it to the event's own row.
    Delivery summary = transition.apply(current.get().delivery());
    putSummary(current.get().event(), summary);
    return Optional.of(summary);
  }

  /**
   * Under the lock: applies {@code transition} to the event's own state in the inbox only, leaving
   * its deliveries to endpoints as they are; empty if there is no such event.
   */
  Optional<Delivery> updateSummary(EventId id, UnaryOperator<Delivery> transition) {
    return find(id)
        .map(
            stored -> {
              Delivery summary = transition.apply(stored.delivery());
              putSummary(stored.event(), summary);
              return summary;
            });
  }

  /**
   * Under the lock: makes the event's deliveries to {@code endpoints} due at {@code dueAt} as
   * {@link Delivery#redeliverAt} says, creating those it lacks, and returns their tasks; empty if
   * there is no such event. A delivery whose claim's lease runs past {@code dueAt} is due when it
   * ends instead, so that the attempt under way and the redelivery are never made at once; the
   * claim ends, so the attempt's result is not recorded.
   */
  Optional<List<DeliveryTask>> redeliver(
      EventId id, Collection<EndpointId> endpoints, Instant dueAt) {
    Optional<StoredEvent> current = find(id);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Event event = current.get().event();
    Map<EndpointId, Delivery> changed = new LinkedHashMap<>(deliveries.getOrDefault(id, Map.of()));
    List<DeliveryTask> tasks = new ArrayList<>(endpoints.size());
    for (EndpointId endpoint : endpoints) {
      Instant lease = claims.remove(new Claim(id, endpoint));
      Instant at = lease != null && lease.isAfter(dueAt) ? lease : dueAt;
      Delivery before = changed.get(endpoint);
      changed.put(endpoint, before == null ? Delivery.scheduled(at) : before.redeliverAt(at));
      tasks.add(new DeliveryTask(event.organizationId(), id, endpoint, at));
    }
    putDeliveries(event, changed);
    return Optional.of(tasks);
  }

  /** The events not yet delivered, oldest first. */
  Iterable<StoredEvent> undeliveredOldestFirst() {
    return undelivered.values();
  }

  /** The events created at or after {@code from}, oldest first. */
  List<StoredEvent> createdFrom(Instant from) {
    return all.tailMap(Position.firstAt(from), true).values().stream()
        .filter(stored -> !stored.event().createdAt().isBefore(from))
        .toList();
  }

  InboxPage list(InboxQuery query) {
    return list(query, stored -> true);
  }

  /** The page {@code query} selects, of the events that {@code keep} also accepts. */
  InboxPage list(InboxQuery query, Predicate<StoredEvent> keep) {
    NavigableMap<Position, StoredEvent> source =
        DeliveryStatus.UNDELIVERED.containsAll(query.statuses()) ? undelivered : all;
    List<InboxEvent> page = new ArrayList<>(Math.min(query.limit(), 64));
    boolean more = false;
    for (StoredEvent stored : InboxWindow.of(source, query).values()) {
      if (!InboxWindow.matches(stored, query) || !keep.test(stored)) {
        continue;
      }
      if (page.size() == query.limit()) {
        more = true;
        break;
      }
      page.add(InboxEvent.of(stored));
    }
    Optional<InboxCursor> next =
        more ? Optional.of(InboxCursor.after(page.getLast().event())) : Optional.empty();
    return new InboxPage(page, next);
  }

  /** Replaces the event's deliveries, their entries in the due index and its summary. */
  private void putDeliveries(Event event, Map<EndpointId, Delivery> changed) {
    Map<EndpointId, Delivery> previous = deliveries.get(event.id());
    if (previous != null) {
      unindex(event, previous);
    }
    if (changed.isEmpty()) {
      deliveries.remove(event.id());
      return;
    }
    Map<EndpointId, Delivery> kept = Collections.unmodifiableMap(changed);
    deliveries.put(event.id(), kept);
    kept.forEach(
        (endpoint, delivery) -> {
          if (delivery.isScheduled()) {
            due.add(Due.of(event, endpoint, delivery));
          }
        });
    putSummary(event, Delivery.leastAdvanced(kept.values(), Delivery.pending()));
  }

  private void putSummary(Event event, Delivery summary) {
    Position position = positions.get(event.id());
    StoredEvent stored = new StoredEvent(event, summary);
    all.put(position, stored);
    if (summary.status() == DeliveryStatus.DELIVERED) {
      undelivered.remove(position);
    } else {
      undelivered.put(position, stored);
    }
  }

  private void unindex(Event event, Map<EndpointId, Delivery> byEndpoint) {
    byEndpoint.forEach(
        (endpoint, delivery) -> {
          if (delivery.isScheduled()) {
            due.remove(Due.of(event, endpoint, delivery));
          }
        });
  }

  /**
   * Under the lock: claims the next attempt of the event's delivery to the endpoint if it is due at
   * {@code now}, until {@code leaseUntil}; returns the event with the claimed delivery.
   */
  Optional<StoredEvent> claim(EventId id, EndpointId endpoint, Instant now, Instant leaseUntil) {
    Optional<StoredEvent> current = find(id);
    Optional<Delivery> delivery = delivery(id, endpoint);
    if (current.isEmpty() || delivery.isEmpty() || !delivery.get().isDueAt(now)) {
      return Optional.empty();
    }
    claims.put(new Claim(id, endpoint), leaseUntil);
    return update(id, endpoint, due -> due.claimedUntil(leaseUntil), false)
        .map(due -> new StoredEvent(current.get().event(), due));
  }

  /**
   * Under the lock: whether the claim that made {@code claimed} still holds: the delivery is
   * scheduled and its last claim, not ended since, has that lease.
   */
  boolean stillClaimed(EventId id, EndpointId endpoint, Delivery claimed) {
    Optional<Delivery> current = delivery(id, endpoint);
    Instant lease = claims.get(new Claim(id, endpoint));
    return current.isPresent()
        && current.get().isScheduled()
        && lease != null
        && claimed.nextAttemptAt().equals(Optional.of(lease));
  }

  /** A delivery by its event and endpoint, as the claims know it. */
  private record Claim(EventId id, EndpointId endpoint) {}
}

package io.triggers.core.memory;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * One organization's events in memory. The maps (and this organization's entries in the shared due
 * index) are read freely but written only under {@link #locked}, so that writes of one organization
 * take turns while reads never wait.
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

  OrganizationEvents(NavigableSet<Due> due) {
    this.due = due;
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

  /** How many of the events not yet delivered have their delivery in {@code status}; no lock. */
  long countUndelivered(DeliveryStatus status) {
    return undelivered.values().stream()
        .filter(stored -> stored.delivery().status() == status)
        .count();
  }

  /** Under the lock: stores the event with {@code delivery} unless its dedup id is taken. */
  AppendResult append(Event event, Delivery delivery) {
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
    put(position, new StoredEvent(event, delivery));
    positions.put(event.id(), position);
    event.dedupId().ifPresent(dedupId -> dedupIds.put(dedupId, event.id()));
    return new AppendResult.Stored(event);
  }

  /** Under the lock: deletes the event and frees its dedup id. */
  boolean delete(EventId id) {
    Position position = positions.remove(id);
    if (position == null) {
      return false;
    }
    StoredEvent removed = all.remove(position);
    undelivered.remove(position);
    unindex(removed);
    removed.event().dedupId().ifPresent(dedupId -> dedupIds.remove(dedupId, id));
    leases.forget(id);
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

  /** Under the lock: replaces the event's delivery by what {@code transition} makes of it. */
  Optional<Delivery> update(EventId id, UnaryOperator<Delivery> transition) {
    Position position = positions.get(id);
    if (position == null) {
      return Optional.empty();
    }
    StoredEvent current = all.get(position);
    Delivery delivery = transition.apply(current.delivery());
    if (!delivery.equals(current.delivery())) {
      put(position, new StoredEvent(current.event(), delivery));
    }
    return Optional.of(delivery);
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
    for (StoredEvent stored : window(source, query).values()) {
      if (!matches(stored, query) || !keep.test(stored)) {
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

  private static NavigableMap<Position, StoredEvent> window(
      NavigableMap<Position, StoredEvent> source, InboxQuery query) {
    boolean newestFirst = query.order() == SortOrder.NEWEST_FIRST;
    if (query.after().isEmpty()) {
      return newestFirst ? source.descendingMap() : source;
    }
    Position after = Position.of(query.after().get());
    return newestFirst
        ? source.headMap(after, false).descendingMap()
        : source.tailMap(after, false);
  }

  private static boolean matches(StoredEvent stored, InboxQuery query) {
    return query.statuses().contains(stored.delivery().status())
        && query.type().map(type -> type.equals(stored.event().type())).orElse(true);
  }

  private void put(Position position, StoredEvent stored) {
    StoredEvent previous = all.put(position, stored);
    if (previous != null) {
      unindex(previous);
    }
    if (stored.delivery().isScheduled()) {
      due.add(Due.of(stored));
    }
    if (stored.delivery().status() == DeliveryStatus.DELIVERED) {
      undelivered.remove(position);
    } else {
      undelivered.put(position, stored);
    }
  }

  private void unindex(StoredEvent stored) {
    if (stored.delivery().isScheduled()) {
      due.remove(Due.of(stored));
    }
  }
}

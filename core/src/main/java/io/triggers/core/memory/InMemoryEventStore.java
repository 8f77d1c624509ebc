package io.triggers.core.memory;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Events and their delivery state held in this process's memory; nothing survives a restart.
 *
 * <p>Deleting an event frees its dedup id, as a database's unique index would once the row is gone.
 * Writes of one organization take turns; reads never wait.
 */
public final class InMemoryEventStore implements EventStore {

  private final ConcurrentMap<OrganizationId, Inbox> inboxes = new ConcurrentHashMap<>();

  @Override
  public AppendResult append(Event event) {
    Inbox inbox = inboxes.computeIfAbsent(event.organizationId(), id -> new Inbox());
    inbox.lock.lock();
    try {
      return inbox.append(event);
    } finally {
      inbox.lock.unlock();
    }
  }

  @Override
  public List<AppendResult> appendAll(List<Event> events) {
    List<AppendResult> results = new ArrayList<>(events.size());
    for (Event event : events) {
      results.add(append(event));
    }
    return results;
  }

  @Override
  public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return Optional.empty();
    }
    Position position = inbox.positions.get(id);
    return position == null ? Optional.empty() : Optional.ofNullable(inbox.all.get(position));
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return false;
    }
    inbox.lock.lock();
    try {
      return inbox.delete(id);
    } finally {
      inbox.lock.unlock();
    }
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return new InboxPage(List.of(), Optional.empty());
    }
    NavigableMap<Position, StoredEvent> source =
        DeliveryStatus.UNDELIVERED.containsAll(query.statuses()) ? inbox.undelivered : inbox.all;
    NavigableMap<Position, StoredEvent> window = window(source, query);
    List<StoredEvent> page = new ArrayList<>(Math.min(query.limit(), 64));
    boolean more = false;
    for (StoredEvent stored : window.values()) {
      if (!matches(stored, query)) {
        continue;
      }
      if (page.size() == query.limit()) {
        more = true;
        break;
      }
      page.add(stored);
    }
    Optional<InboxCursor> next =
        more ? Optional.of(InboxCursor.after(page.getLast().event())) : Optional.empty();
    return new InboxPage(page, next);
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1");
    }
    int deleted = 0;
    for (Inbox inbox : inboxes.values()) {
      inbox.lock.lock();
      try {
        while (deleted < maxEvents) {
          Map.Entry<Position, StoredEvent> oldest = inbox.all.firstEntry();
          if (oldest == null || !oldest.getValue().event().createdAt().isBefore(cutoff)) {
            break;
          }
          inbox.delete(oldest.getKey().id());
          deleted++;
        }
      } finally {
        inbox.lock.unlock();
      }
      if (deleted == maxEvents) {
        break;
      }
    }
    return deleted;
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

  @Override
  public Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return Optional.empty();
    }
    inbox.lock.lock();
    try {
      return inbox.update(id, delivery -> delivery.acknowledged(at));
    } finally {
      inbox.lock.unlock();
    }
  }

  @Override
  public Set<EventId> acknowledgeAll(
      OrganizationId organization, Collection<EventId> ids, Instant at) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return Set.of();
    }
    Set<EventId> found = new HashSet<>();
    inbox.lock.lock();
    try {
      for (EventId id : ids) {
        if (inbox.update(id, delivery -> delivery.acknowledged(at)).isPresent()) {
          found.add(id);
        }
      }
    } finally {
      inbox.lock.unlock();
    }
    return Set.copyOf(found);
  }

  @Override
  public Optional<Delivery> scheduleRedelivery(
      OrganizationId organization, EventId id, Instant dueAt) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return Optional.empty();
    }
    inbox.lock.lock();
    try {
      return inbox.update(id, delivery -> delivery.redeliverAt(dueAt));
    } finally {
      inbox.lock.unlock();
    }
  }

  /**
   * Where an event sits in the listing. Creation time is kept to the millisecond because that is
   * what a cursor carries; finer positions would list an event again after its own cursor.
   */
  private record Position(long createdAtMillis, EventId id) implements Comparable<Position> {

    static Position of(Event event) {
      return new Position(event.createdAt().toEpochMilli(), event.id());
    }

    static Position of(InboxCursor cursor) {
      return new Position(cursor.createdAt().toEpochMilli(), cursor.lastId());
    }

    @Override
    public int compareTo(Position other) {
      int byTime = Long.compare(createdAtMillis, other.createdAtMillis);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  /** One organization's events; the maps are read freely but written only under the lock. */
  private static final class Inbox {

    final ReentrantLock lock = new ReentrantLock();
    final ConcurrentSkipListMap<Position, StoredEvent> all = new ConcurrentSkipListMap<>();
    // The default listing skips delivered events without scanning them.
    final ConcurrentSkipListMap<Position, StoredEvent> undelivered = new ConcurrentSkipListMap<>();
    final ConcurrentMap<EventId, Position> positions = new ConcurrentHashMap<>();
    final Map<DedupId, EventId> dedupIds = new HashMap<>();

    AppendResult append(Event event) {
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
      put(position, new StoredEvent(event, Delivery.pending()));
      positions.put(event.id(), position);
      event.dedupId().ifPresent(dedupId -> dedupIds.put(dedupId, event.id()));
      return new AppendResult.Stored(event);
    }

    boolean delete(EventId id) {
      Position position = positions.remove(id);
      if (position == null) {
        return false;
      }
      StoredEvent removed = all.remove(position);
      undelivered.remove(position);
      removed.event().dedupId().ifPresent(dedupId -> dedupIds.remove(dedupId, id));
      return true;
    }

    Optional<Delivery> update(EventId id, UnaryOperator<Delivery> change) {
      Position position = positions.get(id);
      if (position == null) {
        return Optional.empty();
      }
      StoredEvent current = all.get(position);
      Delivery delivery = change.apply(current.delivery());
      if (!delivery.equals(current.delivery())) {
        put(position, new StoredEvent(current.event(), delivery));
      }
      return Optional.of(delivery);
    }

    private void put(Position position, StoredEvent stored) {
      all.put(position, stored);
      if (stored.delivery().status() == DeliveryStatus.DELIVERED) {
        undelivered.remove(position);
      } else {
        undelivered.put(position, stored);
      }
    }
  }
}

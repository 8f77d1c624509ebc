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
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Events and their delivery state held in this process's memory; nothing survives a restart.
 *
 * <p>Deleting an event frees its dedup id, as a database's unique index would once the row is gone.
 * Writes of one organization take turns; reads never wait. Scheduled deliveries are also kept in
 * one index by due time, so finding the due ones never scans the inboxes.
 */
public final class InMemoryEventStore implements EventStore {

  private final ConcurrentMap<OrganizationId, Inbox> inboxes = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Due> due = new ConcurrentSkipListSet<>();

  @Override
  public AppendResult append(Event event) {
    return append(event, false);
  }

  @Override
  public List<AppendResult> appendAll(List<Event> events) {
    return appendAll(events, false);
  }

  @Override
  public List<AppendResult> appendForDelivery(List<Event> events) {
    return appendAll(events, true);
  }

  private List<AppendResult> appendAll(List<Event> events, boolean scheduled) {
    List<AppendResult> results = new ArrayList<>(events.size());
    for (Event event : events) {
      results.add(append(event, scheduled));
    }
    return results;
  }

  private AppendResult append(Event event, boolean scheduled) {
    Inbox inbox = inboxes.computeIfAbsent(event.organizationId(), id -> new Inbox(due));
    inbox.lock.lock();
    try {
      return inbox.append(
          event, scheduled ? Delivery.scheduled(event.createdAt()) : Delivery.pending());
    } finally {
      inbox.lock.unlock();
    }
  }

  @Override
  public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return Optional.empty();
    }
    return inbox.find(id);
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
    List<InboxEvent> page = new ArrayList<>(Math.min(query.limit(), 64));
    boolean more = false;
    for (StoredEvent stored : window.values()) {
      if (!matches(stored, query)) {
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
    return underLock(
        organization, inbox -> inbox.update(id, delivery -> delivery.acknowledged(at)));
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
    return underLock(
        organization, inbox -> inbox.update(id, delivery -> delivery.redeliverAt(dueAt)));
  }

  @Override
  public Optional<StoredEvent> claimDelivery(
      OrganizationId organization, EventId id, Instant now, Instant leaseUntil) {
    return underLock(
        organization,
        inbox -> {
          Optional<StoredEvent> current = inbox.find(id);
          if (current.isEmpty() || !isDue(current.get().delivery(), now)) {
            return Optional.empty();
          }
          Delivery delivery = current.get().delivery();
          Delivery leased =
              new Delivery(
                  delivery.status(),
                  delivery.attempts(),
                  delivery.lastAttemptAt(),
                  Optional.of(leaseUntil),
                  delivery.lastError(),
                  delivery.deliveredAt());
          inbox.update(id, unused -> leased);
          return Optional.of(new StoredEvent(current.get().event(), leased));
        });
  }

  /** Runs {@code work} on the organization's inbox under its lock; empty if it has none. */
  private <T> Optional<T> underLock(
      OrganizationId organization, Function<Inbox, Optional<T>> work) {
    Inbox inbox = inboxes.get(organization);
    if (inbox == null) {
      return Optional.empty();
    }
    inbox.lock.lock();
    try {
      return work.apply(inbox);
    } finally {
      inbox.lock.unlock();
    }
  }

  private static boolean isDue(Delivery delivery, Instant now) {
    return delivery.isScheduled() && !delivery.nextAttemptAt().get().isAfter(now);
  }

  @Override
  public Optional<Delivery> recordAttempt(
      OrganizationId organization, EventId id, Instant leaseUntil, AttemptResult result) {
    return underLock(
        organization,
        inbox -> {
          Optional<StoredEvent> current = inbox.find(id);
          if (current.isEmpty()
              || !current.get().delivery().isScheduled()
              || !current.get().delivery().nextAttemptAt().get().equals(leaseUntil)) {
            return Optional.empty();
          }
          return inbox.update(id, delivery -> after(delivery, result));
        });
  }

  /** The delivery once {@code result} is recorded; see {@link AttemptResult}'s cases. */
  private static Delivery after(Delivery claimed, AttemptResult result) {
    return switch (result) {
      case AttemptResult.Delivered delivered ->
          new Delivery(
              DeliveryStatus.DELIVERED,
              claimed.attempts() + 1,
              Optional.of(delivered.attemptedAt()),
              Optional.empty(),
              claimed.lastError(),
              Optional.of(delivered.deliveredAt()));
      case AttemptResult.Retrying retrying ->
          new Delivery(
              DeliveryStatus.RETRYING,
              claimed.attempts() + 1,
              Optional.of(retrying.attemptedAt()),
              Optional.of(retrying.nextAttemptAt()),
              Optional.of(retrying.error()),
              Optional.empty());
      case AttemptResult.Failed failed ->
          new Delivery(
              DeliveryStatus.FAILED,
              claimed.attempts() + 1,
              Optional.of(failed.attemptedAt()),
              Optional.empty(),
              Optional.of(failed.error()),
              Optional.empty());
      case AttemptResult.Abandoned abandoned ->
          new Delivery(
              DeliveryStatus.FAILED,
              claimed.attempts(),
              claimed.lastAttemptAt(),
              Optional.empty(),
              Optional.of(abandoned.reason()),
              Optional.empty());
    };
  }

  @Override
  public List<DeliveryTask> dueDeliveries(Instant dueBy, Optional<DeliveryTask> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    NavigableSet<Due> from = after.isPresent() ? due.tailSet(Due.of(after.get()), false) : due;
    List<DeliveryTask> tasks = new ArrayList<>(Math.min(limit, 64));
    for (Due entry : from) {
      if (tasks.size() == limit || entry.at().isAfter(dueBy)) {
        break;
      }
      tasks.add(new DeliveryTask(entry.organization(), entry.id(), entry.at()));
    }
    return tasks;
  }

  /**
   * A scheduled delivery in the due index, ordered by due time, then organization and id (as
   * unsigned numbers, the order a database compares UUIDs in).
   */
  private record Due(Instant at, OrganizationId organization, EventId id)
      implements Comparable<Due> {

    static Due of(DeliveryTask task) {
      return new Due(task.dueAt(), task.organization(), task.eventId());
    }

    @Override
    public int compareTo(Due other) {
      int byTime = at.compareTo(other.at);
      if (byTime != 0) {
        return byTime;
      }
      int byOrganization =
          Long.compareUnsigned(
              organization.value().getMostSignificantBits(),
              other.organization.value().getMostSignificantBits());
      if (byOrganization == 0) {
        byOrganization =
            Long.compareUnsigned(
                organization.value().getLeastSignificantBits(),
                other.organization.value().getLeastSignificantBits());
      }
      return byOrganization != 0 ? byOrganization : id.compareTo(other.id);
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

  /**
   * One organization's events; the maps (and this organization's entries in the shared due index)
   * are read freely but written only under the lock.
   */
  private static final class Inbox {

    final ReentrantLock lock = new ReentrantLock();
    private final NavigableSet<Due> due;
    final ConcurrentSkipListMap<Position, StoredEvent> all = new ConcurrentSkipListMap<>();
    // The default listing skips delivered events without scanning them.
    final ConcurrentSkipListMap<Position, StoredEvent> undelivered = new ConcurrentSkipListMap<>();
    final ConcurrentMap<EventId, Position> positions = new ConcurrentHashMap<>();
    final Map<DedupId, EventId> dedupIds = new HashMap<>();

    Inbox(NavigableSet<Due> due) {
      this.due = due;
    }

    Optional<StoredEvent> find(EventId id) {
      Position position = positions.get(id);
      return position == null ? Optional.empty() : Optional.ofNullable(all.get(position));
    }

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

    boolean delete(EventId id) {
      Position position = positions.remove(id);
      if (position == null) {
        return false;
      }
      StoredEvent removed = all.remove(position);
      undelivered.remove(position);
      unindex(removed);
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
      StoredEvent previous = all.put(position, stored);
      if (previous != null) {
        unindex(previous);
      }
      if (stored.delivery().isScheduled()) {
        due.add(dueOf(stored));
      }
      if (stored.delivery().status() == DeliveryStatus.DELIVERED) {
        undelivered.remove(position);
      } else {
        undelivered.put(position, stored);
      }
    }

    private void unindex(StoredEvent stored) {
      if (stored.delivery().isScheduled()) {
        due.remove(dueOf(stored));
      }
    }

    private static Due dueOf(StoredEvent stored) {
      return new Due(
          stored.delivery().nextAttemptAt().orElseThrow(),
          stored.event().organizationId(),
          stored.event().id());
    }
  }
}

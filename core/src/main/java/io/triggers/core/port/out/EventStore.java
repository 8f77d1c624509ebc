package io.triggers.core.port.out;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The durable record of events and their delivery state; the source of truth.
 *
 * <p>Thread-safe. Every method sees only the given organization's events: another organization's id
 * is treated as absent. When a write returns, it is durable. Dedup ids are unique per organization
 * for as long as the event is kept. When the store cannot be reached, methods throw {@link
 * io.triggers.core.model.StorageUnavailableException} and nothing is reported as stored.
 */
public interface EventStore {

  /** Stores a new event with a pending delivery, unless its dedup id is already taken. */
  AppendResult append(Event event);

  /**
   * Stores several events in one transaction, with one result per event in the same order. Two
   * events of the list with the same dedup id: the first is stored, the second is its duplicate.
   */
  List<AppendResult> appendAll(List<Event> events);

  Optional<StoredEvent> find(OrganizationId organization, EventId id);

  /** Deletes the event; returns false if there was no such event. */
  boolean delete(OrganizationId organization, EventId id);

  /** One page in keyset order of {@code (createdAt, id)}; stable while events arrive. */
  InboxPage list(OrganizationId organization, InboxQuery query);

  /**
   * Marks the event delivered at {@code at}, unless it already was. Idempotent: returns the
   * delivery as it now stands, or empty if there is no such event.
   */
  Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at);

  /** Acknowledges every event of {@code ids} that exists; returns the ids that did. */
  Set<EventId> acknowledgeAll(OrganizationId organization, Collection<EventId> ids, Instant at);

  /**
   * Makes the event pending again, due at {@code dueAt}, keeping its attempt history. Returns the
   * new delivery state, or empty if there is no such event.
   */
  Optional<Delivery> scheduleRedelivery(OrganizationId organization, EventId id, Instant dueAt);

  /**
   * Deletes at most {@code maxEvents} events created before {@code cutoff}, whatever their
   * organization or status, and returns how many it deleted; their dedup ids become free. Call
   * again until it returns less than {@code maxEvents}, so that no call holds the store long.
   */
  int deleteCreatedBefore(Instant cutoff, int maxEvents);

  /** What {@link #append} did with one event. */
  sealed interface AppendResult {

    /** The event is now stored. */
    record Stored(Event event) implements AppendResult {
      public Stored {
        Objects.requireNonNull(event, "event");
      }
    }

    /** The dedup id was taken; {@code original} is the event that holds it. */
    record Duplicate(EventId original) implements AppendResult {
      public Duplicate {
        Objects.requireNonNull(original, "original");
      }
    }
  }
}

package io.triggers.core.port.out;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable record of events: appending them, each dedup id at most once per organization, and
 * finding, deleting and expiring them. The source of truth.
 *
 * <p>Thread-safe. Every method sees only the given organization's events: another organization's id
 * is treated as absent. When a write returns, it is durable. Dedup ids are unique per organization
 * for as long as the event is kept. When the store cannot be reached, methods throw {@link
 * io.triggers.core.model.StorageUnavailableException} and nothing is reported as stored.
 */
public interface EventLog {

  /**
   * Stores the events in one transaction, with one result per event in the same order, each unless
   * its dedup id is already taken; two events of the list with the same dedup id: the first is
   * stored, the second is its duplicate. Each stored event starts as {@code method} says: {@link
   * DeliveryMethod#PULL} pending in the inbox, {@link DeliveryMethod#PUSH} also scheduled for its
   * first webhook attempt at its creation time, in the same write, so that {@link
   * DeliveryLedger#due} finds it should its delivery task be lost.
   */
  List<AppendResult> append(List<Event> events, DeliveryMethod method);

  /** The event with its delivery state, or empty if the organization has no such event. */
  Optional<StoredEvent> find(OrganizationId organization, EventId id);

  /** Deletes the event and frees its dedup id; returns false if there was no such event. */
  boolean delete(OrganizationId organization, EventId id);

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
      /** Checks that every component is present and valid. */
      public Stored {
        Objects.requireNonNull(event, "event");
      }
    }

    /** The dedup id was taken; {@code original} is the event that holds it. */
    record Duplicate(EventId original) implements AppendResult {
      /** Checks that every component is present and valid. */
      public Duplicate {
        Objects.requireNonNull(original, "original");
      }
    }
  }
}

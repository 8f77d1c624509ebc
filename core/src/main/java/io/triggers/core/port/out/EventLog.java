package io.triggers.core.port.out;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
   * stored, the second is its duplicate. Each stored event starts pending in the inbox; with {@link
   * DeliveryMethod#PUSH} it is also fanned out, in the same write, to every endpoint its
   * organization has at that moment that {@link io.triggers.core.model.Endpoint#subscribesTo
   * subscribes to} its type: one delivery each, scheduled for its first attempt at the event's
   * creation time if the endpoint is enabled, {@link io.triggers.core.model.Delivery#heldBack held}
   * otherwise, so that {@link DeliveryLedger#due} finds it should its delivery task be lost.
   */
  List<AppendResult> append(List<Event> events, DeliveryMethod method);

  /**
   * Stores the events as {@link #append} does without waiting for the write: the stage completes
   * with the results once they are durable, or fails with what {@code append} would throw, on
   * whichever thread learns of the commit; its continuations must not block that thread. By
   * default, for logs whose writes do not wait, it appends at once on the calling thread.
   */
  default CompletionStage<List<AppendResult>> appendAsync(
      List<Event> events, DeliveryMethod method) {
    try {
      return CompletableFuture.completedFuture(append(events, method));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

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

    /**
     * The event is now stored, with a delivery due now to each of {@code dueTo}, the enabled
     * endpoints it was fanned out to.
     */
    record Stored(Event event, List<EndpointId> dueTo) implements AppendResult {

      /** Refuses missing parts. */
      public Stored {
        Objects.requireNonNull(event, "event");
        dueTo = List.copyOf(dueTo);
      }

      /** Stored without deliveries due. */
      public Stored(Event event) {
        this(event, List.of());
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

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

  /**
   * Stores a new event with a pending delivery and no webhook attempt planned (the organization
   * pulls it from the inbox), unless its dedup id is already taken.
   */
  AppendResult append(Event event);

  /**
   * Stores several events in one transaction, with one result per event in the same order. Two
   * events of the list with the same dedup id: the first is stored, the second is its duplicate.
   */
  List<AppendResult> appendAll(List<Event> events);

  /**
   * Stores events as {@link #appendAll} does, each stored one also scheduled for webhook delivery
   * ({@link Delivery#scheduled}): its first attempt is due at its creation time. Scheduling in the
   * same write is what lets {@link #dueDeliveries} find the event should its delivery task be lost.
   */
  List<AppendResult> appendForDelivery(List<Event> events);

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
   * Makes the event pending again, due at {@code dueAt}, as {@link Delivery#redeliverAt} describes.
   * Returns the new delivery state, or empty if there is no such event.
   */
  Optional<Delivery> scheduleRedelivery(OrganizationId organization, EventId id, Instant dueAt);

  /**
   * Deletes at most {@code maxEvents} events created before {@code cutoff}, whatever their
   * organization or status, and returns how many it deleted; their dedup ids become free. Call
   * again until it returns less than {@code maxEvents}, so that no call holds the store long.
   */
  int deleteCreatedBefore(Instant cutoff, int maxEvents);

  /**
   * Claims the event's next webhook attempt if it is due at {@code now}: the delivery is scheduled
   * ({@link Delivery#isScheduled}) with its next attempt at or before {@code now}. The claim moves
   * the next attempt to {@code leaseUntil}, so nobody else can claim the event before then, and
   * returns the event with its delivery as claimed. Atomic: of concurrent claims at most one wins.
   * Empty if there is no such event, or it is not due, not scheduled, or claimed by someone else.
   */
  Optional<StoredEvent> claimDelivery(
      OrganizationId organization, EventId id, Instant now, Instant leaseUntil);

  /**
   * Records how a claimed attempt ended, if the claim still holds: the delivery is still scheduled
   * with its next attempt at {@code leaseUntil}. Whatever happened since the claim (an ack, a
   * redelivery, a newer claim after the lease ran out) wins, and then nothing changes. Returns the
   * delivery as it now stands, or empty if the claim no longer held.
   */
  Optional<Delivery> recordAttempt(
      OrganizationId organization, EventId id, Instant leaseUntil, AttemptResult result);

  /**
   * Up to {@code limit} scheduled deliveries whose next attempt is due at or before {@code dueBy},
   * of all organizations, as tasks due at that time; ordered by due time, then organization, then
   * id, and starting after {@code after} when given, so a sweep can page through all of them.
   */
  List<DeliveryTask> dueDeliveries(Instant dueBy, Optional<DeliveryTask> after, int limit);

  /** How one claimed webhook attempt ended, for {@link #recordAttempt}. */
  sealed interface AttemptResult {

    /** The webhook took the event: the delivery is {@code delivered}. */
    record Delivered(Instant attemptedAt, Instant deliveredAt) implements AttemptResult {
      public Delivered {
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
      }
    }

    /** The attempt failed and another is due at {@code nextAttemptAt}: {@code retrying}. */
    record Retrying(Instant attemptedAt, String error, Instant nextAttemptAt)
        implements AttemptResult {
      public Retrying {
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
      }
    }

    /** The attempt failed and no other follows: {@code failed}. */
    record Failed(Instant attemptedAt, String error) implements AttemptResult {
      public Failed {
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(error, "error");
      }
    }

    /**
     * No attempt was made and none will be (there is no webhook to send to): {@code failed}, with
     * the reason as the last error and the attempt count unchanged.
     */
    record Abandoned(String reason) implements AttemptResult {
      public Abandoned {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

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

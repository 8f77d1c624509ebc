package io.triggers.core.port.out;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook deliveries of the events in the {@link EventLog}, one per event and endpoint it was
 * fanned out to: claims of attempts, their results, the deliveries that are due, and redeliveries.
 * Every change of state is one of {@link Delivery}'s transitions; the ledger makes it durable and
 * atomic, and keeps each event's summary ({@link StoredEvent#delivery}) the {@link
 * Delivery#leastAdvanced least advanced} of its deliveries.
 *
 * <p>Thread-safe; another organization's events are treated as absent. When a write returns, it is
 * durable. When the store cannot be reached, methods throw {@link
 * io.triggers.core.model.StorageUnavailableException}.
 */
public interface DeliveryLedger {

  /**
   * Claims the next attempt of the event's delivery to the endpoint if it is due at {@code now}
   * ({@link Delivery#isDueAt}), making it {@link Delivery#claimedUntil claimed until} {@code
   * leaseUntil}, so that nobody else can claim it before then; returns the event with that delivery
   * as claimed, and the endpoint as stored at the claim (a change to it is seen by every later
   * claim, as by every later {@link Endpoints} call). Atomic: of concurrent claims at most one
   * wins. Empty if there is no such delivery, or it is not due, not scheduled, or claimed by
   * someone else.
   */
  Optional<ClaimedAttempt> claim(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Instant now,
      Instant leaseUntil);

  /**
   * Records how a claimed attempt ended, if the claim still holds: the stored delivery is still the
   * {@code claimed} one (scheduled, its next attempt at the claim's lease). It then becomes {@code
   * claimed.after(result)}. Whatever happened since the claim (an ack, a redelivery, a newer claim
   * after the lease ran out) wins, and then nothing changes. Returns the delivery as it now stands,
   * or empty if the claim no longer held.
   */
  Optional<Delivery> record(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result);

  /**
   * Records how a claimed attempt ended, as {@link #record} does, and then claims the next attempt
   * of event {@code next}'s delivery to the same endpoint, as {@link #claim} does with {@code now}
   * and {@code leaseUntil}: so that an attempt's worker can go on to the endpoint's next delivery
   * with one write to the store instead of two. The claim is judged on its own: it is won whether
   * or not the result was still recorded, and of it and concurrent claims at most one wins.
   *
   * <p>This default makes the two writes in turn; a store whose writes are costly makes them at
   * once.
   */
  default RecordedAndClaimed recordAndClaim(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result,
      EventId next,
      Instant now,
      Instant leaseUntil) {
    Optional<Delivery> recorded = record(organization, id, endpoint, claimed, result);
    return new RecordedAndClaimed(recorded, claim(organization, next, endpoint, now, leaseUntil));
  }

  /**
   * What {@link #recordAndClaim} did: the recorded delivery, empty if the claim no longer held, and
   * the next attempt, empty if it was not won.
   */
  record RecordedAndClaimed(Optional<Delivery> recorded, Optional<ClaimedAttempt> next) {

    /** Refuses missing parts. */
    public RecordedAndClaimed {
      Objects.requireNonNull(recorded, "recorded");
      Objects.requireNonNull(next, "next");
    }
  }

  /**
   * Up to {@code limit} scheduled deliveries whose next attempt is due at or before {@code dueBy},
   * of all organizations, as tasks due at that time; ordered by due time, then organization, event
   * and endpoint, and starting after {@code after} when given, so a sweep can page through them.
   */
  List<DeliveryTask> due(Instant dueBy, Optional<DeliveryTask> after, int limit);

  /**
   * Makes the event's deliveries to {@code endpoints} pending again, due at {@code dueAt}, as
   * {@link Delivery#redeliverAt} describes, creating those it did not have. A delivery whose
   * attempt is under way (claimed, its lease running past {@code dueAt}) is due when the lease ends
   * instead, so that no attempt is made while another runs; its claim ends, so the result of the
   * attempt under way is not {@link #record recorded}. Returns their tasks, each due when its
   * delivery is, or empty if there is no such event.
   */
  Optional<List<DeliveryTask>> scheduleRedelivery(
      OrganizationId organization, EventId id, Collection<EndpointId> endpoints, Instant dueAt);

  /** The event's deliveries, one per endpoint it was fanned out to; empty if there is none. */
  List<EndpointDelivery> deliveries(OrganizationId organization, EventId id);

  /**
   * Makes every held delivery to the endpoint due at {@code dueAt}, as {@link Delivery#releasedAt}
   * says, and returns how many it released; the sweep queues them.
   */
  int release(OrganizationId organization, EndpointId endpoint, Instant dueAt);

  /**
   * Recovers every failed delivery to the endpoint whose event was created at or after {@code
   * createdSince}: due at {@code dueAt}, or held if {@code hold}, as {@link Delivery#recoveredAt}
   * says; returns how many it recovered. Atomic; repeating it finds none still failed. The sweep
   * queues the due ones.
   */
  int recover(
      OrganizationId organization,
      EndpointId endpoint,
      Instant createdSince,
      Instant dueAt,
      boolean hold);

  /**
   * Ends every delivery to the endpoint not yet made (pending, retrying or held) as failed with
   * {@code reason}, as {@link Delivery#ended} says; returns how many it ended.
   */
  int endAll(OrganizationId organization, EndpointId endpoint, String reason);
}

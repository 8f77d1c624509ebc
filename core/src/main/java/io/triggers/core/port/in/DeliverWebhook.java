package io.triggers.core.port.in;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.ClaimedAttempt;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Makes the due webhook attempt of one event to one endpoint: claims it, so that no other node
 * sends it at the same time, sends it, and records how it went.
 */
public interface DeliverWebhook {

  /** Attempts the delivery if it is due now; safe to call for any task, stale or repeated. */
  Outcome deliver(OrganizationId organization, EventId id, EndpointId endpoint);

  /**
   * As {@link #deliver(OrganizationId, EventId, EndpointId)}; when the attempt has ended, asks
   * {@code next} which event to send the same endpoint next, and claims that delivery with the same
   * write that records this attempt. Returns this attempt's outcome and the next attempt if its
   * claim was won, which {@link #deliverClaimed} then makes without claiming again. This default
   * claims nothing next and never asks.
   */
  default Chained deliver(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Supplier<Optional<EventId>> next) {
    return new Chained(deliver(organization, id, endpoint), Optional.empty());
  }

  /**
   * Makes an attempt that {@link #deliver(OrganizationId, EventId, EndpointId, Supplier)} claimed,
   * then goes on as that does. This default refuses it: the default of that method claims nothing.
   */
  default Chained deliverClaimed(
      OrganizationId organization, Claimed claimed, Supplier<Optional<EventId>> next) {
    throw new UnsupportedOperationException("this use case hands no claimed attempt on");
  }

  /** An attempt already claimed, to the endpoint of the attempt before it. */
  record Claimed(EndpointId endpoint, ClaimedAttempt attempt) {

    /** Refuses missing parts. */
    public Claimed {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(attempt, "attempt");
    }

    /** The claimed event's id. */
    public EventId id() {
      return attempt.stored().event().id();
    }
  }

  /** What one attempt did, and the next attempt to the same endpoint if one was claimed with it. */
  record Chained(Outcome outcome, Optional<Claimed> next) {

    /** Refuses missing parts. */
    public Chained {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(next, "next");
    }
  }

  /** What one call did. */
  sealed interface Outcome {

    /** The outcome of an attempt whose {@code result} was recorded as {@code delivery}. */
    static Outcome of(EventId id, Delivery delivery, AttemptResult result) {
      return switch (result) {
        case AttemptResult.Delivered delivered -> new Delivered(id, delivery);
        case AttemptResult.Retrying retrying -> new Retrying(id, delivery);
        case AttemptResult.Held held -> new Held(id, delivery);
        case AttemptResult.Failed failed -> new Failed(id, delivery);
        case AttemptResult.Abandoned abandoned -> new Failed(id, delivery);
      };
    }

    /** The webhook took the event. */
    record Delivered(EventId id, Delivery delivery) implements Outcome {
      /** Checks that every component is present and valid. */
      public Delivered {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
      }
    }

    /** The attempt failed; the delivery's next attempt is when to try again. */
    record Retrying(EventId id, Delivery delivery) implements Outcome {
      /** Checks that every component is present and valid. */
      public Retrying {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
        if (delivery.nextAttemptAt().isEmpty()) {
          throw new IllegalArgumentException("a retrying delivery has a next attempt");
        }
      }
    }

    /**
     * The endpoint is paused or disabled (a {@code 410 Gone} answer disables it): the delivery is
     * held until it is enabled again.
     */
    record Held(EventId id, Delivery delivery) implements Outcome {

      /** Refuses missing parts. */
      public Held {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
      }
    }

    /**
     * The delivery gave up: the retries ran out, or the endpoint was deleted. The event stays in
     * the inbox.
     */
    record Failed(EventId id, Delivery delivery) implements Outcome {
      /** Checks that every component is present and valid. */
      public Failed {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
      }
    }

    /**
     * Nothing was due: the event is gone, delivered (or acknowledged), not yet due, or claimed by
     * another worker; or something overtook the attempt before its result was recorded.
     */
    record Skipped(EventId id) implements Outcome {
      /** Checks that every component is present and valid. */
      public Skipped {
        Objects.requireNonNull(id, "id");
      }
    }
  }
}

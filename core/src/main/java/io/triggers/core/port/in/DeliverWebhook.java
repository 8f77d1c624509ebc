package io.triggers.core.port.in;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.Objects;

/**
 * Makes the due webhook attempt of one event to one endpoint: claims it, so that no other node
 * sends it at the same time, sends it, and records how it went.
 */
public interface DeliverWebhook {

  /** Attempts the delivery if it is due now; safe to call for any task, stale or repeated. */
  Outcome deliver(OrganizationId organization, EventId id, EndpointId endpoint);

  /** What one call did. */
  sealed interface Outcome {

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

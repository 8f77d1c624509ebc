package io.triggers.core.port.in;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.Objects;

/**
 * Sends an event to the webhook again, whatever its status (to every enabled endpoint that takes
 * its type, or to one endpoint), and revives it in the inbox if it was dead.
 */
public interface RedeliverEvent {

  /** Schedules another webhook delivery of the organization's event. */
  Outcome redeliver(OrganizationId organization, EventId id);

  /**
   * Schedules another delivery of the organization's event to one of its endpoints, which must take
   * the event's type. A paused or disabled endpoint is accepted: its delivery is held at its
   * attempt, not sent, and goes out once the endpoint is enabled again.
   */
  Outcome redeliver(OrganizationId organization, EventId id, EndpointId endpoint);

  /** What asking for a redelivery did. */
  sealed interface Outcome {

    /** The event is pending again and queued for delivery. */
    record Scheduled(EventId id, Delivery delivery) implements Outcome {
      /** Checks that every component is present and valid. */
      public Scheduled {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
      }
    }

    /**
     * The event was dead in the inbox and is leasable again with a fresh lease count; there is no
     * webhook to send it to. {@code delivery} is its delivery as it stands.
     */
    record Revived(EventId id, Delivery delivery) implements Outcome {
      /** Checks that every component is present and valid. */
      public Revived {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
      }
    }

    /** There is no such event for this organization. */
    record NotFound() implements Outcome {}

    /** The organization has no webhook to deliver to, and the event was not dead to revive. */
    record NoWebhook() implements Outcome {}

    /** There is no such endpoint for this organization. */
    record EndpointNotFound() implements Outcome {}

    /** The endpoint's filters do not take the event's type. */
    record NotSubscribed() implements Outcome {}
  }
}

package io.triggers.core.port.in;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.Objects;

/** Sends an event to the webhook again, whatever its status. */
public interface RedeliverEvent {

  Outcome redeliver(OrganizationId organization, EventId id);

  /** What asking for a redelivery did. */
  sealed interface Outcome {

    /** The event is pending again and queued for delivery. */
    record Scheduled(EventId id, Delivery delivery) implements Outcome {
      public Scheduled {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delivery, "delivery");
      }
    }

    /** There is no such event for this organization. */
    record NotFound() implements Outcome {}

    /** The organization has no enabled endpoint that subscribes to the event's type. */
    record NoWebhook() implements Outcome {}
  }
}

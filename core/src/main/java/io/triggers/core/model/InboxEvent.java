package io.triggers.core.model;

import java.util.Objects;

/**
 * An event as the inbox lists it: with how far its delivery has come, but not the delivery's
 * history (times of attempts, the last error), which only the single-event read shows.
 */
public record InboxEvent(Event event, DeliveryStatus status, int attempts) {

  /** Checks that every component is present and valid. */
  public InboxEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(status, "status");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
  }

  /** The inbox entry of a stored event: the event, its delivery status and attempts. */
  public static InboxEvent of(StoredEvent stored) {
    return new InboxEvent(stored.event(), stored.delivery().status(), stored.delivery().attempts());
  }
}

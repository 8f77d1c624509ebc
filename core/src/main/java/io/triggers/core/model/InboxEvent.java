package io.triggers.core.model;

import java.util.Objects;

/**
 * An event as the inbox lists it: with how far its delivery has come, but not the delivery's
 * history (times of attempts, the last error), which only the single-event read shows.
 */
public record InboxEvent(Event event, DeliveryStatus status, int attempts) {

  public InboxEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(status, "status");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
  }

  public static InboxEvent of(StoredEvent stored) {
    return new InboxEvent(stored.event(), stored.delivery().status(), stored.delivery().attempts());
  }
}

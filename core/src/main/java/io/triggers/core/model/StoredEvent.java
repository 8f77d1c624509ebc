package io.triggers.core.model;

import java.util.Objects;

/** An event together with its current delivery state, as a store reads it back. */
public record StoredEvent(Event event, Delivery delivery) {

  /** Checks that every component is present and valid. */
  public StoredEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(delivery, "delivery");
  }
}

package io.triggers.core.model;

import java.util.Objects;

/** An event as a lease hands it out, with how many times it has been leased, this one included. */
public record LeasedEvent(Event event, int leaseCount) {

  /** Checks that every component is present and valid. */
  public LeasedEvent {
    Objects.requireNonNull(event, "event");
    if (leaseCount < 1) {
      throw new IllegalArgumentException("a leased event was leased at least once");
    }
  }
}

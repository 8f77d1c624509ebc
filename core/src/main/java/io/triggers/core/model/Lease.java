package io.triggers.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Events handed to one consumer until {@code leasedUntil}, oldest first. */
public record Lease(LeaseId id, Instant leasedUntil, List<LeasedEvent> events) {

  /** Checks that every component is present and valid. */
  public Lease {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(leasedUntil, "leasedUntil");
    events = List.copyOf(events);
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a lease holds at least one event");
    }
  }
}

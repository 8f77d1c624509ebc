package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store needs to take a lease: its id, how many events at most and of which type, the time
 * it is taken, when it ends, and how many leases an event gets before it is dead.
 */
public record LeaseRequest(
    LeaseId id, int limit, Optional<EventType> type, Instant now, Instant until, int maxLeases) {

  /** The most events one lease may take. */
  public static final int MAX_LIMIT = 100;

  /** Checks that every component is present and valid. */
  public LeaseRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(until, "until");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidValueException("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    if (!until.isAfter(now)) {
      throw new IllegalArgumentException("a lease ends after it is taken");
    }
    if (maxLeases < 1) {
      throw new IllegalArgumentException("an event gets at least one lease");
    }
  }
}

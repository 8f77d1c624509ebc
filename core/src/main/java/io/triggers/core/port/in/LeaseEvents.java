package io.triggers.core.port.in;

import io.triggers.core.model.EventType;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.OrganizationId;
import java.util.Objects;
import java.util.Optional;

/** Hands the oldest leasable inbox events to one pull consumer, for a while. */
public interface LeaseEvents {

  /** A new lease of the events, oldest first; empty (and no lease) when none is leasable. */
  Optional<Lease> lease(OrganizationId organization, Command command);

  /**
   * How many events at most (1 to {@value LeaseRequest#MAX_LIMIT}), for how long (1 to {@value
   * #MAX_LEASE_SECONDS} seconds), and of which type if only one.
   */
  record Command(int limit, int leaseSeconds, Optional<EventType> type) {

    public static final int DEFAULT_LIMIT = 10;
    public static final int DEFAULT_LEASE_SECONDS = 300;
    public static final int MAX_LEASE_SECONDS = 3600;

    /** Checks that every component is present and valid. */
    public Command {
      Objects.requireNonNull(type, "type");
      if (limit < 1 || limit > LeaseRequest.MAX_LIMIT) {
        throw new InvalidValueException(
            "limit", "limit must be between 1 and " + LeaseRequest.MAX_LIMIT);
      }
      requireLeaseSeconds(leaseSeconds);
    }

    /** Refuses a lease length out of its range, for every command that sets one. */
    public static void requireLeaseSeconds(int leaseSeconds) {
      if (leaseSeconds < 1 || leaseSeconds > MAX_LEASE_SECONDS) {
        throw new InvalidValueException(
            "lease_seconds", "lease_seconds must be between 1 and " + MAX_LEASE_SECONDS);
      }
    }
  }
}

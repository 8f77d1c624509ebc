package io.triggers.core.port.in;

import io.triggers.core.model.EventId;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Gives a lease more time for the events it still holds. */
public interface ExtendLease {

  /**
   * Holds the lease's events until {@code leaseSeconds} (1 to {@value
   * LeaseEvents.Command#MAX_LEASE_SECONDS}) from now.
   */
  Outcome extend(OrganizationId organization, LeaseId lease, int leaseSeconds);

  /** What extending did. */
  sealed interface Outcome {

    /** The events the lease still holds are now held until {@code leasedUntil}. */
    record Extended(LeaseId lease, Instant leasedUntil, List<EventId> events) implements Outcome {
      /** Checks that every component is present and valid. */
      public Extended {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(leasedUntil, "leasedUntil");
        events = List.copyOf(events);
      }
    }

    /** The organization has no such lease. */
    record NotFound() implements Outcome {}

    /** The lease holds no event any more: other leases took them, or they were settled. */
    record Expired() implements Outcome {}
  }
}

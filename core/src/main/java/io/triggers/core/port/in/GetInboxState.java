package io.triggers.core.port.in;

import io.triggers.core.model.InboxStatus;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Says where one event stands with the inbox's leases. */
public interface GetInboxState {

  /** The stored event's inbox state as it stands now. */
  View get(OrganizationId organization, StoredEvent event);

  /**
   * The event's status, how many times it was leased since its last reset, and while it is leased
   * the end of its lease.
   */
  record View(InboxStatus status, int leaseCount, Optional<Instant> leasedUntil) {
    /** Checks that every component is present and valid. */
    public View {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(leasedUntil, "leasedUntil");
    }
  }
}

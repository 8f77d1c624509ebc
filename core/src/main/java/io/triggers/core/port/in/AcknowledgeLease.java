package io.triggers.core.port.in;

import io.triggers.core.model.EventId;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import java.util.Optional;
import java.util.Set;

/**
 * Acknowledges events through the lease that handed them out, as acknowledging them directly does,
 * unless another lease took them since.
 */
public interface AcknowledgeLease {

  /**
   * Acknowledges the events of {@code ids}, or all the lease took when absent; idempotent. Empty if
   * the organization has no such lease.
   */
  Optional<LeaseAcknowledgement> acknowledge(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids);
}

package io.triggers.core.port.in;

import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.List;
import java.util.Optional;

/** Lists the webhook attempts of one of the organization's events. */
public interface ListAttempts {

  /**
   * The event's logged attempts, the latest {@link
   * io.triggers.core.port.out.AttemptLog#SHOWN_PER_ENDPOINT} to each endpoint, newest first; empty
   * if there is no such event for this organization.
   */
  Optional<List<DeliveryAttempt>> list(OrganizationId organization, EventId id);
}

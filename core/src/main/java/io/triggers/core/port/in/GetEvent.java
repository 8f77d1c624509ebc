package io.triggers.core.port.in;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.util.Optional;

/** Reads one of the organization's events with its delivery state. */
public interface GetEvent {

  /** Empty if there is no such event for this organization. */
  Optional<StoredEvent> get(OrganizationId organization, EventId id);
}

package io.triggers.core.port.in;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;

/** Deletes one of the organization's events; it will not be delivered any more. */
public interface DeleteEvent {

  /** Returns false if there was no such event for this organization. */
  boolean delete(OrganizationId organization, EventId id);
}

package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.out.EventLog;

/** Deletes an event from the event log; a queued delivery of it finds nothing and is dropped. */
public final class DeleteEventService implements DeleteEvent {

  private final EventLog events;

  /** Creates the use case on the driven ports it needs. */
  public DeleteEventService(EventLog events) {
    this.events = events;
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    return events.delete(organization, id);
  }
}

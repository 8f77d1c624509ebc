package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.out.EventLog;
import java.util.Optional;

/** Reads an event from the event log. */
public final class GetEventService implements GetEvent {

  private final EventLog events;

  /** Creates the use case on the driven ports it needs. */
  public GetEventService(EventLog events) {
    this.events = events;
  }

  @Override
  public Optional<StoredEvent> get(OrganizationId organization, EventId id) {
    return events.find(organization, id);
  }
}

package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.out.EventStore;
import java.util.Optional;

/** Reads an event from the store. */
public final class GetEventService implements GetEvent {

  private final EventStore store;

  public GetEventService(EventStore store) {
    this.store = store;
  }

  @Override
  public Optional<StoredEvent> get(OrganizationId organization, EventId id) {
    return store.find(organization, id);
  }
}

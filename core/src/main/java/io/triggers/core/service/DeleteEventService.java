package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.out.EventStore;

/** Deletes an event from the store; a queued delivery of it finds nothing and is dropped. */
public final class DeleteEventService implements DeleteEvent {

  private final EventStore store;

  public DeleteEventService(EventStore store) {
    this.store = store;
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    return store.delete(organization, id);
  }
}

package io.triggers.core.service;

import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.out.EventStore;

/** Lists a page of the organization's inbox from the store. */
public final class ListInboxService implements ListInbox {

  private final EventStore store;

  public ListInboxService(EventStore store) {
    this.store = store;
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    return store.list(organization, query);
  }
}

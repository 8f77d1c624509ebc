package io.triggers.core.service;

import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.out.Inbox;

/** Lists a page of the organization's inbox. */
public final class ListInboxService implements ListInbox {

  private final Inbox inbox;

  /** Creates the use case on the driven ports it needs. */
  public ListInboxService(Inbox inbox) {
    this.inbox = inbox;
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    return inbox.list(organization, query);
  }
}

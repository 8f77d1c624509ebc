package io.triggers.core.port.in;

import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;

/** Pages through an organization's events, by default the ones not yet delivered. */
public interface ListInbox {

  /** One page of the organization's inbox, as {@code query} asks. */
  InboxPage list(OrganizationId organization, InboxQuery query);
}

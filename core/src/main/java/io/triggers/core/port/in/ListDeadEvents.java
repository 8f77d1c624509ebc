package io.triggers.core.port.in;

import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;

/** Lists the inbox's dead events: leased as often as allowed without ever being acknowledged. */
public interface ListDeadEvents {

  /** The page of dead events among those {@code query} selects. */
  InboxPage list(OrganizationId organization, InboxQuery query);
}

package io.triggers.core.service;

import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ListDeadEvents;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;

/** Lists the events dead as of now. */
public final class ListDeadEventsService implements ListDeadEvents {

  private final InboxLeases leases;
  private final Clock clock;
  private final int maxLeases;

  /** Counts an event as dead once its {@code maxLeases}th lease ran out or was released. */
  public ListDeadEventsService(InboxLeases leases, Clock clock, int maxLeases) {
    this.leases = leases;
    this.clock = clock;
    this.maxLeases = InboxState.requireMaxLeases(maxLeases);
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    return leases.dead(organization, query, clock.instant(), maxLeases);
  }
}

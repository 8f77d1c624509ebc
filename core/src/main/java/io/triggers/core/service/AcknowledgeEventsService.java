package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.out.Inbox;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Marks pulled events delivered in the inbox. */
public final class AcknowledgeEventsService implements AcknowledgeEvents {

  private final Inbox inbox;
  private final Clock clock;

  /** Creates the use case on the driven ports it needs. */
  public AcknowledgeEventsService(Inbox inbox, Clock clock) {
    this.inbox = inbox;
    this.clock = clock;
  }

  @Override
  public Optional<Acknowledgement> acknowledge(OrganizationId organization, EventId id) {
    return inbox
        .acknowledge(organization, id, clock.instant())
        .map(delivery -> new Acknowledgement(id, delivery.deliveredAt().orElseThrow()));
  }

  @Override
  public BatchAcknowledgement acknowledgeAll(OrganizationId organization, List<EventId> ids) {
    if (ids.size() > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("at most " + MAX_BATCH_SIZE + " ids at once");
    }
    Set<EventId> distinct = new LinkedHashSet<>(ids);
    Set<EventId> found = inbox.acknowledgeAll(organization, distinct, clock.instant());
    List<EventId> notFound = distinct.stream().filter(id -> !found.contains(id)).toList();
    return new BatchAcknowledgement(found.size(), notFound);
  }
}

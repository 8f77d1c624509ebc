package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;
import java.time.Instant;

/** Makes an event pending again, due now, and queues it for the webhook. */
public final class RedeliverEventService implements RedeliverEvent {

  private final EventLog events;
  private final DeliveryLedger ledger;
  private final Organizations organizations;
  private final DeliveryQueue queue;
  private final Clock clock;

  /** Creates the use case on the driven ports it needs. */
  public RedeliverEventService(
      EventLog events,
      DeliveryLedger ledger,
      Organizations organizations,
      DeliveryQueue queue,
      Clock clock) {
    this.events = events;
    this.ledger = ledger;
    this.organizations = organizations;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public Outcome redeliver(OrganizationId organization, EventId id) {
    if (events.find(organization, id).isEmpty()) {
      return new Outcome.NotFound();
    }
    if (organizations.webhook(organization).isEmpty()) {
      return new Outcome.NoWebhook();
    }
    Instant now = clock.instant();
    return ledger
        .scheduleRedelivery(organization, id, now)
        .<Outcome>map(
            delivery -> {
              queue.enqueue(new DeliveryTask(organization, id, now));
              return new Outcome.Scheduled(id, delivery);
            })
        .orElseGet(Outcome.NotFound::new);
  }
}

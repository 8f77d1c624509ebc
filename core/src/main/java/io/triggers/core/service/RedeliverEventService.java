package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes an event pending again, due now, and queues it for the webhook; a dead inbox event is also
 * revived, webhook or not.
 */
public final class RedeliverEventService implements RedeliverEvent {

  private final EventLog events;
  private final DeliveryLedger ledger;
  private final Organizations organizations;
  private final DeliveryQueue queue;
  private final InboxLeases leases;
  private final Clock clock;
  private final int maxLeases;

  /**
   * Creates the use case on the driven ports it needs; events dead after {@code maxLeases} leases
   * are revived.
   */
  public RedeliverEventService(
      EventLog events,
      DeliveryLedger ledger,
      Organizations organizations,
      DeliveryQueue queue,
      InboxLeases leases,
      Clock clock,
      int maxLeases) {
    this.events = events;
    this.ledger = ledger;
    this.organizations = organizations;
    this.queue = queue;
    this.leases = leases;
    this.clock = clock;
    this.maxLeases = InboxState.requireMaxLeases(maxLeases);
  }

  @Override
  public Outcome redeliver(OrganizationId organization, EventId id) {
    Optional<StoredEvent> stored = events.find(organization, id);
    if (stored.isEmpty()) {
      return new Outcome.NotFound();
    }
    Instant now = clock.instant();
    boolean revived = leases.revive(organization, id, now, maxLeases);
    if (organizations.webhook(organization).isEmpty()) {
      return revived ? new Outcome.Revived(id, stored.get().delivery()) : new Outcome.NoWebhook();
    }
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

package io.triggers.core.service;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Makes an event's deliveries to every enabled endpoint that subscribes to its type pending again,
 * due now, and queues them.
 */
public final class RedeliverEventService implements RedeliverEvent {

  private final EventLog events;
  private final DeliveryLedger ledger;
  private final Endpoints endpoints;
  private final DeliveryQueue queue;
  private final Clock clock;

  /** Redelivers events of {@code events} through {@code ledger} and {@code queue}. */
  public RedeliverEventService(
      EventLog events,
      DeliveryLedger ledger,
      Endpoints endpoints,
      DeliveryQueue queue,
      Clock clock) {
    this.events = events;
    this.ledger = ledger;
    this.endpoints = endpoints;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public Outcome redeliver(OrganizationId organization, EventId id) {
    Optional<StoredEvent> stored = events.find(organization, id);
    if (stored.isEmpty()) {
      return new Outcome.NotFound();
    }
    List<EndpointId> targets =
        endpoints.list(organization).stream()
            .filter(Endpoint::isEnabled)
            .filter(endpoint -> endpoint.subscribesTo(stored.get().event().type()))
            .map(Endpoint::id)
            .toList();
    if (targets.isEmpty()) {
      return new Outcome.NoWebhook();
    }
    Instant now = clock.instant();
    Optional<List<DeliveryTask>> scheduled =
        ledger.scheduleRedelivery(organization, id, targets, now);
    if (scheduled.isEmpty()) {
      return new Outcome.NotFound();
    }
    scheduled.get().forEach(queue::enqueue);
    return events
        .find(organization, id)
        .<Outcome>map(again -> new Outcome.Scheduled(id, again.delivery()))
        .orElseGet(Outcome.NotFound::new);
  }
}

package io.triggers.core.service;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.InboxLeases;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Makes an event's deliveries to every enabled endpoint that subscribes to its type (or to one
 * endpoint that does, whatever its status) pending again, due now, and queues them; a dead inbox
 * event is also revived, endpoints or not.
 */
public final class RedeliverEventService implements RedeliverEvent {

  private final EventLog events;
  private final DeliveryLedger ledger;
  private final Endpoints endpoints;
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
      Endpoints endpoints,
      DeliveryQueue queue,
      InboxLeases leases,
      Clock clock,
      int maxLeases) {
    this.events = events;
    this.ledger = ledger;
    this.endpoints = endpoints;
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
    List<EndpointId> targets =
        endpoints.list(organization).stream()
            .filter(Endpoint::isEnabled)
            .filter(endpoint -> endpoint.subscribesTo(stored.get().event().type()))
            .map(Endpoint::id)
            .toList();
    if (targets.isEmpty()) {
      return revived ? new Outcome.Revived(id, stored.get().delivery()) : new Outcome.NoWebhook();
    }
    return schedule(organization, id, targets, now);
  }

  @Override
  public Outcome redeliver(OrganizationId organization, EventId id, EndpointId endpointId) {
    Optional<StoredEvent> stored = events.find(organization, id);
    if (stored.isEmpty()) {
      return new Outcome.NotFound();
    }
    Optional<Endpoint> endpoint = endpoints.find(organization, endpointId);
    if (endpoint.isEmpty()) {
      return new Outcome.EndpointNotFound();
    }
    if (!endpoint.get().subscribesTo(stored.get().event().type())) {
      return new Outcome.NotSubscribed();
    }
    Instant now = clock.instant();
    leases.revive(organization, id, now, maxLeases);
    return schedule(organization, id, List.of(endpointId), now);
  }

  private Outcome schedule(
      OrganizationId organization, EventId id, List<EndpointId> targets, Instant now) {
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

package io.triggers.core.service;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.RecoverEndpoint;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Recovers an endpoint's failed deliveries in the delivery ledger, in one change there; the sweep
 * queues them, so that recovering thousands does not wait for each to be queued.
 */
public final class RecoverEndpointService implements RecoverEndpoint {

  private final Endpoints endpoints;
  private final DeliveryLedger ledger;
  private final Clock clock;

  /** Recovers deliveries in {@code ledger} to the endpoints of {@code endpoints}. */
  public RecoverEndpointService(Endpoints endpoints, DeliveryLedger ledger, Clock clock) {
    this.endpoints = endpoints;
    this.ledger = ledger;
    this.clock = clock;
  }

  @Override
  public Outcome recover(OrganizationId organization, EndpointId endpoint, Instant since) {
    // Another organization's endpoint is unknown whatever the request says, so it is looked up
    // before the request's time is checked: a stranger learns nothing from the answer.
    Optional<Endpoint> found = endpoints.find(organization, endpoint);
    if (found.isEmpty()) {
      return new Outcome.NotFound();
    }
    Instant now = clock.instant();
    if (since.isAfter(now)) {
      return new Outcome.SinceInFuture();
    }
    boolean hold = !found.get().isEnabled();
    return new Outcome.Recovered(ledger.recover(organization, endpoint, since, now, hold), hold);
  }
}

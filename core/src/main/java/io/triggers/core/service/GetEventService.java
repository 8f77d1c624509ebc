package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.EventLog;
import java.util.Optional;

/** Reads an event from the event log and its deliveries from the delivery ledger. */
public final class GetEventService implements GetEvent {

  private final EventLog events;
  private final DeliveryLedger ledger;

  /** Reads events of {@code events} with their deliveries in {@code ledger}. */
  public GetEventService(EventLog events, DeliveryLedger ledger) {
    this.events = events;
    this.ledger = ledger;
  }

  @Override
  public Optional<Found> get(OrganizationId organization, EventId id) {
    return events
        .find(organization, id)
        .map(stored -> new Found(stored, ledger.deliveries(organization, id)));
  }
}

package io.triggers.core.testing;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.Organizations;
import java.util.Objects;

/**
 * The event store's four ports over one storage, as the contracts exercise them, with the endpoints
 * it fans events out to and the organizations those belong to.
 */
public record EventStorage(
    EventLog events,
    Inbox inbox,
    DeliveryLedger deliveries,
    InboxLeases leases,
    Endpoints endpoints,
    Organizations organizations) {

  /** Checks that every port is given. */
  public EventStorage {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(deliveries, "deliveries");
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(organizations, "organizations");
  }

  /** The in-memory store, its own endpoints, and organizations of their own. */
  public static EventStorage of(InMemoryEventStore store) {
    return new EventStorage(
        store, store, store, store.leases(), store.endpoints(), new InMemoryOrganizations());
  }
}

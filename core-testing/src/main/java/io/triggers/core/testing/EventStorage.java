package io.triggers.core.testing;

import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import java.util.Objects;

/** The event store's four ports over one storage, as the contracts exercise them. */
public record EventStorage(
    EventLog events, Inbox inbox, DeliveryLedger deliveries, InboxLeases leases) {

  public EventStorage {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(deliveries, "deliveries");
    Objects.requireNonNull(leases, "leases");
  }

  /** One implementation of all four ports. */
  public static <T extends EventLog & Inbox & DeliveryLedger & InboxLeases> EventStorage of(
      T store) {
    return new EventStorage(store, store, store, store);
  }
}

package io.triggers.core.testing;

import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import java.util.Objects;

/** The event store's three ports over one storage, as the contracts exercise them. */
public record EventStorage(EventLog events, Inbox inbox, DeliveryLedger deliveries) {

  public EventStorage {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(deliveries, "deliveries");
  }

  /** One implementation of all three ports. */
  public static <T extends EventLog & Inbox & DeliveryLedger> EventStorage of(T store) {
    return new EventStorage(store, store, store);
  }
}

package io.triggers.core.memory;

import io.triggers.core.testing.DeliveryLedgerContract;
import io.triggers.core.testing.EventStorage;

class InMemoryDeliveryLedgerTest extends DeliveryLedgerContract {

  @Override
  protected EventStorage newStorage() {
    return EventStorage.of(new InMemoryEventStore());
  }
}

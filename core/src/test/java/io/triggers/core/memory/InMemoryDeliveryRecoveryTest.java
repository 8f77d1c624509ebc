package io.triggers.core.memory;

import io.triggers.core.testing.DeliveryRecoveryContract;
import io.triggers.core.testing.EventStorage;

class InMemoryDeliveryRecoveryTest extends DeliveryRecoveryContract {

  @Override
  protected EventStorage newStorage() {
    return EventStorage.of(new InMemoryEventStore());
  }
}

package io.triggers.core.memory;

import io.triggers.core.testing.DeliveryHandOffContract;
import io.triggers.core.testing.EventStorage;

class InMemoryDeliveryHandOffTest extends DeliveryHandOffContract {

  @Override
  protected EventStorage newStorage() {
    return EventStorage.of(new InMemoryEventStore());
  }
}

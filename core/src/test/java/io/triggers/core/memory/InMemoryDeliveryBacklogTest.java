package io.triggers.core.memory;

import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.testing.DeliveryBacklogContract;
import io.triggers.core.testing.EventStorage;

class InMemoryDeliveryBacklogTest extends DeliveryBacklogContract {

  private InMemoryEventStore store;

  @Override
  protected EventStorage newStorage() {
    store = new InMemoryEventStore();
    return EventStorage.of(store);
  }

  @Override
  protected DeliveryBacklog backlog() {
    return store;
  }
}

package io.triggers.core.memory;

import io.triggers.core.port.out.EventStore;
import io.triggers.core.testing.EventStoreContract;

class InMemoryEventStoreTest extends EventStoreContract {

  @Override
  protected EventStore newStore() {
    return new InMemoryEventStore();
  }
}

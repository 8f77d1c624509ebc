package io.triggers.core.memory;

import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.testing.EventStorage;
import io.triggers.core.testing.LeaseBacklogContract;

class InMemoryLeaseBacklogTest extends LeaseBacklogContract {

  private InMemoryEventStore store;

  @Override
  protected EventStorage newStorage() {
    store = new InMemoryEventStore();
    return EventStorage.of(store);
  }

  @Override
  protected LeaseBacklog leaseBacklog() {
    return store.leaseBacklog();
  }
}

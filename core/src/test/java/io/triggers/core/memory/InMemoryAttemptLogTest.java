package io.triggers.core.memory;

import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.testing.AttemptLogContract;
import io.triggers.core.testing.EventStorage;

class InMemoryAttemptLogTest extends AttemptLogContract {

  private InMemoryEventStore store;

  @Override
  protected EventStorage newStorage() {
    store = new InMemoryEventStore();
    return EventStorage.of(store);
  }

  @Override
  protected AttemptLog attemptLog() {
    return store.attemptLog();
  }
}

package io.triggers.core.memory;

import io.triggers.core.testing.EventLogContract;
import io.triggers.core.testing.EventStorage;

class InMemoryEventLogTest extends EventLogContract {

  @Override
  protected EventStorage newStorage() {
    return EventStorage.of(new InMemoryEventStore());
  }
}

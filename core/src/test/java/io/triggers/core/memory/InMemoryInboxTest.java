package io.triggers.core.memory;

import io.triggers.core.testing.EventStorage;
import io.triggers.core.testing.InboxContract;

class InMemoryInboxTest extends InboxContract {

  @Override
  protected EventStorage newStorage() {
    return EventStorage.of(new InMemoryEventStore());
  }
}

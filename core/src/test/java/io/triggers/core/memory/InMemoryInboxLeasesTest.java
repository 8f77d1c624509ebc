package io.triggers.core.memory;

import io.triggers.core.testing.EventStorage;
import io.triggers.core.testing.InboxLeasesContract;

class InMemoryInboxLeasesTest extends InboxLeasesContract {

  @Override
  protected EventStorage newStorage() {
    return EventStorage.of(new InMemoryEventStore());
  }
}

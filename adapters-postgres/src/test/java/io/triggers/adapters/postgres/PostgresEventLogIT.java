package io.triggers.adapters.postgres;

import io.triggers.core.testing.EventLogContract;
import io.triggers.core.testing.EventStorage;

class PostgresEventLogIT extends EventLogContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }
}

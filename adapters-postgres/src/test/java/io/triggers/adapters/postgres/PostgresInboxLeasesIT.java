package io.triggers.adapters.postgres;

import io.triggers.core.testing.EventStorage;
import io.triggers.core.testing.InboxLeasesContract;

class PostgresInboxLeasesIT extends InboxLeasesContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }
}

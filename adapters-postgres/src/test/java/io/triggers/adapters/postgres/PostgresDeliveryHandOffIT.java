package io.triggers.adapters.postgres;

import io.triggers.core.testing.DeliveryHandOffContract;
import io.triggers.core.testing.EventStorage;

class PostgresDeliveryHandOffIT extends DeliveryHandOffContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }
}

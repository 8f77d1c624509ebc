package io.triggers.adapters.postgres;

import io.triggers.core.testing.DeliveryRecoveryContract;
import io.triggers.core.testing.EventStorage;

class PostgresDeliveryRecoveryIT extends DeliveryRecoveryContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.testing.DeliveryLedgerContract;
import io.triggers.core.testing.EventStorage;

class PostgresDeliveryLedgerIT extends DeliveryLedgerContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }
}

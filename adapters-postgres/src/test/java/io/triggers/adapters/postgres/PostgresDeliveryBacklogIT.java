package io.triggers.adapters.postgres;

import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.testing.DeliveryBacklogContract;
import io.triggers.core.testing.EventStorage;

class PostgresDeliveryBacklogIT extends DeliveryBacklogContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }

  @Override
  protected DeliveryBacklog backlog() {
    return SharedEventStorage.backlog();
  }
}

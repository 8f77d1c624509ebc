package io.triggers.adapters.postgres;

import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.testing.EventStorage;
import io.triggers.core.testing.LeaseBacklogContract;

class PostgresLeaseBacklogIT extends LeaseBacklogContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }

  @Override
  protected LeaseBacklog leaseBacklog() {
    return SharedEventStorage.leaseBacklog();
  }
}

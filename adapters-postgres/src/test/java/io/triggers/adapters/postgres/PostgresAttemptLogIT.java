package io.triggers.adapters.postgres;

import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.testing.AttemptLogContract;
import io.triggers.core.testing.EventStorage;

class PostgresAttemptLogIT extends AttemptLogContract {

  @Override
  protected void clearState() {
    SharedEventStorage.clear();
  }

  @Override
  protected EventStorage newStorage() {
    return SharedEventStorage.storage();
  }

  @Override
  protected AttemptLog attemptLog() {
    return SharedEventStorage.attempts();
  }
}

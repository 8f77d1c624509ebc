package io.triggers.architecture.violations.adapters.postgres;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: a PostgreSQL adapter not named after PostgreSQL. */
public final class SqlStore implements Store {

  @Override
  public void save(Reading reading) {}
}

package io.triggers.architecture.violations.adapters.postgres;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: named after PostgreSQL, but not after the port it fills. */
public final class PostgresWriter implements Store {

  @Override
  public void save(Reading reading) {}
}

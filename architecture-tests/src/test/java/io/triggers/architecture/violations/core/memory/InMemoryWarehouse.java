package io.triggers.architecture.violations.core.memory;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: an in-memory adapter of one port, not named after it. */
public final class InMemoryWarehouse implements Store {

  @Override
  public void save(Reading reading) {}
}

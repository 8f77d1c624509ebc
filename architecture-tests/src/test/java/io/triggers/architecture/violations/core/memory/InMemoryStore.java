package io.triggers.architecture.violations.core.memory;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** A well-behaved in-memory driven adapter. */
public final class InMemoryStore implements Store {

  @Override
  public void save(Reading reading) {}
}

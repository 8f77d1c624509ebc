package io.triggers.architecture.violations.adapters.redis;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: a Redis adapter not named after Redis. */
public final class CachingStore implements Store {

  @Override
  public void save(Reading reading) {}
}

package io.triggers.architecture.violations.adapters.redis;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** A well-behaved Redis adapter of one kind among several: Redis, its kind, then its port. */
public final class RedisCachingStore implements Store {

  @Override
  public void save(Reading reading) {}
}

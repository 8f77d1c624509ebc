package io.triggers.architecture.violations.adapters.redis;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: an implementation named Impl. */
public final class RedisStoreImpl implements Store {

  @Override
  public void save(Reading reading) {}
}

package io.triggers.architecture.violations.adapters.postgres;

import io.triggers.architecture.violations.adapters.redis.RedisStoreImpl;
import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: one adapter that uses another. */
public final class PostgresStoreBackedByTheRedisAdapter implements Store {

  private final RedisStoreImpl cache = new RedisStoreImpl();

  @Override
  public void save(Reading reading) {
    cache.save(reading);
  }
}

package io.triggers.architecture.violations.adapters.redis;

import dagger.internal.DaggerGenerated;
import dagger.internal.Factory;

/** Allowed: shaped like the factory Dagger generates next to an injected constructor. */
@DaggerGenerated
public final class RedisStore_Factory implements Factory<CachingStore> {

  @Override
  public CachingStore get() {
    return new CachingStore();
  }
}

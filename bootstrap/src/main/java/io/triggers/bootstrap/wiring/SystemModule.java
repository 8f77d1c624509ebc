package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.memory.SystemHostResolver;
import io.triggers.core.port.out.HostResolver;
import io.triggers.core.port.out.IdGenerator;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * What the server takes from the machine it runs on: random ids and host name resolution; the clock
 * is handed to the component when it is created.
 */
@Module
interface SystemModule {

  @Provides
  @Singleton
  static IdGenerator idGenerator(Clock clock) {
    return new SecureIdGenerator(clock);
  }

  @Provides
  @Singleton
  static HostResolver hostResolver() {
    return new SystemHostResolver();
  }
}

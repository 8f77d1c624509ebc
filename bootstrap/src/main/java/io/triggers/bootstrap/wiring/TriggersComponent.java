package io.triggers.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.triggers.bootstrap.TriggersApplication;
import io.triggers.bootstrap.config.Settings;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The object graph of one server. */
@Singleton
@Component(
    modules = {
      SystemModule.class,
      CoreModule.class,
      StorageModule.class,
      CoordinationModule.class,
      HealthModule.class,
      DeliveryModule.class,
      HttpModule.class,
      MetricsModule.class
    })
public interface TriggersComponent {

  TriggersApplication application();

  /** What the graph opened so far; closed by whoever builds it should building fail halfway. */
  Resources resources();

  /** Creates the graph for the given settings and clock. */
  @Component.Factory
  interface Factory {
    TriggersComponent create(@BindsInstance Settings settings, @BindsInstance Clock clock);
  }
}

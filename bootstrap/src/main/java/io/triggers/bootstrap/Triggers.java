package io.triggers.bootstrap;

import io.triggers.bootstrap.config.Settings;
import io.triggers.bootstrap.wiring.DaggerTriggersComponent;
import java.time.Clock;

/** Builds a ready-to-start server from settings; hides the generated Dagger component. */
public final class Triggers {

  private Triggers() {}

  public static TriggersApplication create(Settings settings, Clock clock) {
    return DaggerTriggersComponent.factory().create(settings, clock).application();
  }
}

package io.triggers.architecture.violations.adapters.http;

import io.triggers.architecture.violations.bootstrap.Main;

/** Wrong on purpose: an adapter that depends on the module that wires it. */
public final class HandlerThatKnowsBootstrap {

  /** Starts the whole server from inside an adapter. */
  public void restart() {
    Main.main(new String[0]);
  }
}

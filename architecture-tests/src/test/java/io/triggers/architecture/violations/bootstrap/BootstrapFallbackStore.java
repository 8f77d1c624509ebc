package io.triggers.architecture.violations.bootstrap;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: bootstrap implementing a port, a fallback that belongs in an adapter. */
public final class BootstrapFallbackStore implements Store {

  @Override
  public void save(Reading reading) {}
}

package io.triggers.architecture.violations.core.service;

import io.triggers.architecture.violations.core.port.in.Ingest;

/** Wrong on purpose: implements a use case but is not named after it with a Service suffix. */
public final class IngestUseCase implements Ingest {

  @Override
  public void ingest(Command command) {}
}

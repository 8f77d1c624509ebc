package io.triggers.architecture.violations.core.service;

import io.triggers.architecture.violations.core.port.in.Ingest;

/** A well-behaved service: one use case, named after it. */
public final class IngestService implements Ingest {

  @Override
  public void ingest(Command command) {}
}

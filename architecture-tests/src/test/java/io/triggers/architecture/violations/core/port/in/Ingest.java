package io.triggers.architecture.violations.core.port.in;

/** A well-behaved use case, with its command nested in it. */
public interface Ingest {

  void ingest(Command command);

  /** What to ingest. */
  record Command(long value) {}
}

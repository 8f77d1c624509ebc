package io.triggers.architecture.violations.core.delivery;

import io.triggers.architecture.violations.core.port.in.Ingest;

/** A well-behaved pipeline: runs its own thread and calls the use case through its port. */
public final class Dispatcher {

  private final Ingest ingest;

  public Dispatcher(Ingest ingest) {
    this.ingest = ingest;
  }

  /** Starts the background loop. */
  public void start() {
    Thread.ofPlatform().daemon().start(() -> ingest.ingest(new Ingest.Command(1)));
  }
}

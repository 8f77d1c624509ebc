package io.triggers.architecture.violations.core.service;

import io.triggers.architecture.violations.core.delivery.Dispatcher;

/** Wrong on purpose: a use case that runs the background pipeline instead of being run by it. */
public final class ServiceThatStartsTheDispatcher {

  private final Dispatcher dispatcher = new Dispatcher(new IngestService());

  /** Starts the pipeline from inside a use case. */
  public void start() {
    dispatcher.start();
  }
}

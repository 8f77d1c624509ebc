package io.triggers.architecture.violations.core.service;

import io.triggers.architecture.violations.core.memory.InMemoryStore;

/** Wrong on purpose: a service that picks the in-memory store instead of being handed a port. */
public final class ServiceThatBuildsItsOwnStore {

  private final InMemoryStore store = new InMemoryStore();

  /** Exposes the store so the field is used. */
  public InMemoryStore store() {
    return store;
  }
}

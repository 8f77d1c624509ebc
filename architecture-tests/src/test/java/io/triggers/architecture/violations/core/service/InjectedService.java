package io.triggers.architecture.violations.core.service;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** Wrong on purpose: a core class annotated for a dependency injection container. */
@Singleton
public final class InjectedService {

  private final String name;

  @Inject
  public InjectedService(@Named("name") String name) {
    this.name = name;
  }

  /** Exposes the name so the field is used. */
  public String name() {
    return name;
  }
}

package io.triggers.architecture.violations.adapters.http;

import io.triggers.architecture.violations.core.service.IngestUseCase;

/** Wrong on purpose: an adapter that reaches past the port for the service behind it. */
public final class HandlerThatCallsAService {

  private final IngestUseCase service = new IngestUseCase();

  /** Exposes the service so the field is used. */
  public IngestUseCase service() {
    return service;
  }
}

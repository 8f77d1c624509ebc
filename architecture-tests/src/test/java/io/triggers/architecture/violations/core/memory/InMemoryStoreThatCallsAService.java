package io.triggers.architecture.violations.core.memory;

import io.triggers.architecture.violations.core.model.Reading;
import io.triggers.architecture.violations.core.port.out.Store;
import io.triggers.architecture.violations.core.service.IngestUseCase;

/** Wrong on purpose: an in-memory driven adapter that calls back into a service. */
public final class InMemoryStoreThatCallsAService implements Store {

  private final IngestUseCase service = new IngestUseCase();

  @Override
  public void save(Reading reading) {
    service.ingest(new IngestUseCase.Command(reading.value()));
  }
}

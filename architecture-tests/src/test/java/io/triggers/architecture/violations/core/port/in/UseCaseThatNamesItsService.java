package io.triggers.architecture.violations.core.port.in;

import io.triggers.architecture.violations.core.service.IngestUseCase;

/** Wrong on purpose: a use case that knows which service implements it. */
public interface UseCaseThatNamesItsService {

  IngestUseCase implementation();
}

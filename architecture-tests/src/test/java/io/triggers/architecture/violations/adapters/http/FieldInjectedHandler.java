package io.triggers.architecture.violations.adapters.http;

import io.triggers.architecture.violations.core.port.in.Ingest;
import jakarta.inject.Inject;

/** Wrong on purpose: a handler whose collaborator is injected into a field. */
public final class FieldInjectedHandler {

  @Inject Ingest ingest;
}

package io.triggers.architecture.violations.core.policy;

import io.triggers.architecture.violations.core.port.in.Ingest;
import io.triggers.architecture.violations.core.service.IngestService;

/** Wrong on purpose: a policy that runs a use case's implementation itself. */
public final class PolicyThatCallsAService {

  private final IngestService service = new IngestService();

  /** Ingests the value, which no rule should do. */
  public void apply(long value) {
    service.ingest(new Ingest.Command(value));
  }
}

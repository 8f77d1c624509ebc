package io.triggers.architecture.violations.core.delivery;

import io.triggers.architecture.violations.core.port.in.Ingest;
import io.triggers.architecture.violations.core.service.IngestService;

/** Wrong on purpose: a pipeline bound to one implementation of the use case it runs. */
public final class DispatcherThatCallsTheService {

  private final IngestService service = new IngestService();

  /** Makes one attempt. */
  public void attempt() {
    service.ingest(new Ingest.Command(1));
  }
}

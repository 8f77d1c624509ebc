package io.triggers.architecture.violations.adapters.http;

import java.util.List;

/** Wrong on purpose: a group of routes named like an Undertow handler, which it is not. */
public final class EventsHandler {

  public List<String> routes() {
    return List.of("GET /api/events/{id}");
  }
}

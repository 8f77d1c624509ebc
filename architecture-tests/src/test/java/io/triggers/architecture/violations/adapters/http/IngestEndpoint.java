package io.triggers.architecture.violations.adapters.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Wrong on purpose: an Undertow handler whose name does not end with Handler. */
public final class IngestEndpoint implements HttpHandler {

  @Override
  public void handleRequest(HttpServerExchange exchange) {}
}

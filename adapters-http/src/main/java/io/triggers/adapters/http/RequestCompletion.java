package io.triggers.adapters.http;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;

/**
 * What is recorded once a request has ended, whatever thread ended it: its timer and, when enabled,
 * its access line. One object per request holds what both need, and is itself the exchange's
 * completion listener.
 */
final class RequestCompletion implements ExchangeCompletionListener {

  private static final String UNMATCHED = "unmatched";

  private final RequestMetrics metrics;
  private final RequestLog log;
  private final String method;
  private final String route;
  private final String requestId;
  private final long started;

  /**
   * @param route the template of the route the request matched, or {@code null} when it matched
   *     none
   */
  RequestCompletion(
      RequestMetrics metrics,
      RequestLog log,
      String method,
      String route,
      String requestId,
      long started) {
    this.metrics = metrics;
    this.log = log;
    this.method = method;
    this.route = route;
    this.requestId = requestId;
    this.started = started;
  }

  /** The name the request's route is known by in metrics and errors. */
  String routeName() {
    return route == null ? UNMATCHED : route;
  }

  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
    long elapsed = System.nanoTime() - started;
    metrics.record(method, routeName(), exchange.getStatusCode(), elapsed);
    if (log.enabled()) {
      log.completed(exchange, method, Optional.ofNullable(route), requestId, elapsed);
    }
    next.proceed();
  }
}

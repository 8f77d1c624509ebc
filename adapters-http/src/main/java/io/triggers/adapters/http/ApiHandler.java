package io.triggers.adapters.http;

import io.triggers.core.model.Organization;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The way every request takes: request id, route lookup, admin check, body limits and content type
 * on the IO thread; then, on a virtual thread, the API key check and the endpoint; finally the
 * reply, with every failure mapped to the shared error format.
 */
final class ApiHandler implements HttpHandler {

  private static final String UNMATCHED = "unmatched";
  private static final byte[] NO_BODY = new byte[0];

  private final Routes routes;
  private final Authentication authentication;
  private final BodyReader bodyReader;
  private final RequestMetrics metrics;
  private final Executor executor;

  ApiHandler(
      Routes routes,
      Authentication authentication,
      BodyReader bodyReader,
      RequestMetrics metrics,
      Executor executor) {
    this.routes = routes;
    this.authentication = authentication;
    this.bodyReader = bodyReader;
    this.metrics = metrics;
    this.executor = executor;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    long started = System.nanoTime();
    bodyReader.limitConnection(exchange);
    String requestId = RequestIds.assign(exchange);
    String method = exchange.getRequestMethod().toString();
    Routes.Lookup lookup = routes.find(method, exchange.getRequestPath());
    String routeName =
        lookup instanceof Routes.Lookup.Found found ? found.route().template() : UNMATCHED;
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          metrics.record(method, routeName, ex.getStatusCode(), System.nanoTime() - started);
          next.proceed();
        });
    try {
      switch (lookup) {
        case Routes.Lookup.NoRoute none ->
            ReplyWriter.write(exchange, requestId, ErrorResponses.noRoute());
        case Routes.Lookup.WrongMethod wrong ->
            ReplyWriter.write(
                exchange, requestId, ErrorResponses.methodNotAllowed(wrong.allowed()));
        case Routes.Lookup.Found found -> admit(exchange, requestId, found);
      }
    } catch (RuntimeException e) {
      ReplyWriter.write(exchange, requestId, ErrorResponses.forException(e, requestId, routeName));
    }
  }

  private void admit(HttpServerExchange exchange, String requestId, Routes.Lookup.Found found) {
    Route route = found.route();
    if (route.access() == Route.Access.ADMIN
        && !authentication.admits(exchange.getRequestHeaders())) {
      ReplyWriter.write(
          exchange, requestId, ErrorResponses.unauthorized("the admin token is missing or wrong"));
      return;
    }
    if (!route.jsonBody()) {
      run(exchange, requestId, found, NO_BODY);
      return;
    }
    Optional<Reply> refusal = bodyReader.refusal(exchange);
    if (refusal.isPresent()) {
      ReplyWriter.write(exchange, requestId, refusal.get());
      return;
    }
    bodyReader.read(
        exchange,
        body -> {
          // Runs later from a read listener, outside the try of handleRequest.
          try {
            run(exchange, requestId, found, body);
          } catch (RuntimeException e) {
            ReplyWriter.write(
                exchange, requestId, ErrorResponses.forException(e, requestId, name(route)));
          }
        },
        reply -> ReplyWriter.write(exchange, requestId, reply));
  }

  private void run(
      HttpServerExchange exchange, String requestId, Routes.Lookup.Found found, byte[] body) {
    if (found.route().inline()) {
      answer(exchange, requestId, found, body);
    } else {
      exchange.dispatch(executor, () -> answer(exchange, requestId, found, body));
    }
  }

  private void answer(
      HttpServerExchange exchange, String requestId, Routes.Lookup.Found found, byte[] body) {
    Route route = found.route();
    Reply reply;
    try {
      boolean forOrganization = route.access() == Route.Access.ORGANIZATION;
      Optional<Organization> organization =
          forOrganization
              ? authentication.organization(exchange.getRequestHeaders())
              : Optional.empty();
      if (forOrganization && organization.isEmpty()) {
        reply = ErrorResponses.unauthorized("a valid API key is required");
      } else {
        Call call =
            new Call(
                found.parameters(),
                exchange.getQueryParameters(),
                name -> exchange.getRequestHeaders().getFirst(name),
                body,
                organization);
        reply = route.endpoint().handle(call);
      }
    } catch (RuntimeException e) {
      reply = ErrorResponses.forException(e, requestId, name(route));
    }
    writeOnIoThread(exchange, requestId, reply);
  }

  /**
   * Hands the reply back to the connection's IO thread, which writes it and starts reading the next
   * request. Ending the exchange there, rather than on a worker, spares the IO thread from spinning
   * while a worker re-arms the connection, and a wake-up of the selector per request.
   */
  private static void writeOnIoThread(HttpServerExchange exchange, String requestId, Reply reply) {
    ReplyWriter.Rendered rendered = ReplyWriter.render(reply, requestId);
    if (exchange.isInIoThread()) {
      ReplyWriter.send(exchange, rendered);
    } else {
      exchange.dispatch(exchange.getIoThread(), () -> ReplyWriter.send(exchange, rendered));
    }
  }

  private static String name(Route route) {
    return route.method() + " " + route.template();
  }
}

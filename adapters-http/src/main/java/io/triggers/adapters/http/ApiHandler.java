package io.triggers.adapters.http;

import io.triggers.core.model.Organization;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The way every request takes: request id, framing, route lookup and admin check on the IO thread;
 * then, on a virtual thread, the API key check, and only after it the body (content type and
 * limits, then the bytes, within the body budget and read timeout) and the endpoint; finally the
 * reply, with every failure mapped to the shared error format. The virtual threads run with the
 * request's ids in the log's context ({@link RequestLog}).
 */
final class ApiHandler implements HttpHandler {

  private static final String UNMATCHED = "unmatched";
  private static final byte[] NO_BODY = new byte[0];

  private final RouteTable routes;
  private final Authentication authentication;
  private final BodyReader bodyReader;
  private final RequestMetrics metrics;
  private final RequestLog log;
  private final Executor executor;

  ApiHandler(
      RouteTable routes,
      Authentication authentication,
      BodyReader bodyReader,
      RequestMetrics metrics,
      RequestLog log,
      Executor executor) {
    this.routes = routes;
    this.authentication = authentication;
    this.bodyReader = bodyReader;
    this.metrics = metrics;
    this.log = log;
    this.executor = executor;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    long started = System.nanoTime();
    bodyReader.limitConnection(exchange);
    String requestId = RequestIds.assign(exchange);
    String method = exchange.getRequestMethod().toString();
    RouteTable.Lookup lookup = routes.find(method, exchange.getRequestPath());
    Optional<String> template =
        lookup instanceof RouteTable.Lookup.Found found
            ? Optional.of(found.route().template())
            : Optional.empty();
    String routeName = template.orElse(UNMATCHED);
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          long elapsed = System.nanoTime() - started;
          metrics.record(method, routeName, ex.getStatusCode(), elapsed);
          log.completed(ex, method, template, requestId, elapsed);
          next.proceed();
        });
    try {
      Optional<Reply> badFraming = RequestFraming.refusal(exchange.getRequestHeaders());
      if (badFraming.isPresent()) {
        // Where this request ends, and so where the next one starts, is not to be trusted.
        exchange.setPersistent(false);
        ReplyWriter.write(exchange, requestId, badFraming.get());
        return;
      }
      switch (lookup) {
        case RouteTable.Lookup.NoRoute none ->
            ReplyWriter.write(exchange, requestId, ErrorResponses.noRoute());
        case RouteTable.Lookup.WrongMethod wrong ->
            ReplyWriter.write(
                exchange, requestId, ErrorResponses.methodNotAllowed(wrong.allowed()));
        case RouteTable.Lookup.Found found -> admit(exchange, requestId, found, started);
      }
    } catch (RuntimeException e) {
      ReplyWriter.write(exchange, requestId, ErrorResponses.forException(e, requestId, routeName));
    }
  }

  private void admit(
      HttpServerExchange exchange, String requestId, RouteTable.Lookup.Found found, long started) {
    Route route = found.route();
    if (route.access() == Route.Access.ADMIN
        && !authentication.admits(exchange.getRequestHeaders())) {
      ReplyWriter.write(
          exchange, requestId, ErrorResponses.unauthorized("the admin token is missing or wrong"));
      return;
    }
    if (route.inline()) {
      answer(exchange, requestId, found, Optional.empty(), NO_BODY);
    } else {
      exchange.dispatch(
          executor,
          () ->
              RequestLog.within(
                  exchange,
                  requestId,
                  Optional.empty(),
                  () -> serve(exchange, requestId, found, started)));
    }
  }

  /**
   * On a virtual thread: the API key first, since checking it may take a database lookup, then the
   * body, then the endpoint. A request refused before its body was read has its connection closed
   * by {@link ReplyWriter} rather than its body read and thrown away.
   */
  private void serve(
      HttpServerExchange exchange, String requestId, RouteTable.Lookup.Found found, long started) {
    Route route = found.route();
    try {
      Optional<Organization> organization = Optional.empty();
      if (route.access() == Route.Access.ORGANIZATION) {
        organization = authentication.organization(exchange.getRequestHeaders());
        if (organization.isEmpty()) {
          writeOnIoThread(
              exchange, requestId, ErrorResponses.unauthorized("a valid API key is required"));
          return;
        }
        RequestLog.identified(exchange, organization.get());
      }
      if (!route.jsonBody() || (route.bodyOptional() && BodyReader.declaresNone(exchange))) {
        answer(exchange, requestId, found, organization, NO_BODY);
        return;
      }
      Optional<Reply> refusal = bodyReader.refusal(exchange);
      if (refusal.isPresent()) {
        bodyReader.boundDiscard(exchange, refusal.get());
        writeOnIoThread(exchange, requestId, refusal.get());
        return;
      }
      Optional<Organization> caller = organization;
      bodyReader.read(
          exchange,
          started,
          body -> {
            if (exchange.isInIoThread()) {
              // The body arrived later, through the IO thread; the endpoint may block.
              try {
                exchange.dispatch(
                    executor,
                    () ->
                        RequestLog.within(
                            exchange,
                            requestId,
                            caller,
                            () -> answer(exchange, requestId, found, caller, body)));
              } catch (RejectedExecutionException e) {
                body.reservation().release();
                ReplyWriter.write(exchange, requestId, ErrorResponses.shuttingDown());
              }
            } else {
              answer(exchange, requestId, found, caller, body);
            }
          },
          reply -> {
            bodyReader.boundDiscard(exchange, reply);
            writeOnIoThread(exchange, requestId, reply);
          });
    } catch (RuntimeException e) {
      writeOnIoThread(exchange, requestId, ErrorResponses.forException(e, requestId, name(route)));
    }
  }

  private void answer(
      HttpServerExchange exchange,
      String requestId,
      RouteTable.Lookup.Found found,
      Optional<Organization> organization,
      BodyReader.Body body) {
    try {
      answer(exchange, requestId, found, organization, body.bytes());
    } finally {
      body.reservation().release();
    }
  }

  private void answer(
      HttpServerExchange exchange,
      String requestId,
      RouteTable.Lookup.Found found,
      Optional<Organization> organization,
      byte[] body) {
    Route route = found.route();
    Reply reply;
    try {
      Call call =
          new Call(
              found.parameters(),
              exchange.getQueryParameters(),
              name -> exchange.getRequestHeaders().getFirst(name),
              body,
              organization);
      reply = route.endpoint().handle(call);
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

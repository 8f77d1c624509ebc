package io.triggers.adapters.http;

import io.triggers.core.model.Organization;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The way every request takes: request id, framing, route lookup and admin check on the IO thread;
 * then, on a virtual thread, the API key check, and only after it the body (content type and
 * limits, then the bytes, within the body budget and read timeout) and the endpoint; finally the
 * reply, with every failure mapped to the shared error format. A {@link Route#nonBlocking} route
 * whose caller's key is known without a lookup takes no virtual thread: its body is read and its
 * endpoint started on the IO thread, and its reply is written when the endpoint's stage completes.
 * Request handling runs with the request's ids in the log's context ({@link RequestLog}).
 */
final class ApiHandler implements HttpHandler {

  private static final byte[] NO_BODY = new byte[0];

  private final RouteTable routes;
  private final Authentication authentication;
  private final BodyReader bodyReader;
  private final RequestMetrics metrics;
  private final RequestLog log;
  private final Executor executor;
  private final ReadyReplies readyReplies;

  ApiHandler(
      RouteTable routes,
      Authentication authentication,
      BodyReader bodyReader,
      RequestMetrics metrics,
      RequestLog log,
      Executor executor,
      ReadyReplies readyReplies) {
    this.routes = routes;
    this.authentication = authentication;
    this.bodyReader = bodyReader;
    this.metrics = metrics;
    this.log = log;
    this.executor = executor;
    this.readyReplies = readyReplies;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    long started = System.nanoTime();
    bodyReader.limitConnection(exchange);
    String requestId = RequestIds.assign(exchange);
    String method = exchange.getRequestMethod().toString();
    RouteTable.Lookup lookup = routes.find(method, exchange.getRequestPath());
    RequestCompletion completion =
        new RequestCompletion(
            metrics,
            log,
            method,
            lookup instanceof RouteTable.Lookup.Found found ? found.route().template() : null,
            requestId,
            started);
    exchange.addExchangeCompleteListener(completion);
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
      ReplyWriter.write(
          exchange, requestId, ErrorResponses.forException(e, requestId, completion.routeName()));
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
    } else if (route.nonBlocking() && startedWithoutWaiting(exchange, requestId, found, started)) {
      return;
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
   * For a route that does not block, on the IO thread: when the caller needs no key or its key is
   * known without a lookup, goes on here, holding the exchange open past this call, and returns
   * true; otherwise returns false, having done nothing, and a virtual thread looks the key up.
   */
  private boolean startedWithoutWaiting(
      HttpServerExchange exchange, String requestId, RouteTable.Lookup.Found found, long started) {
    Optional<Organization> organization = Optional.empty();
    if (found.route().access() == Route.Access.ORGANIZATION) {
      organization = authentication.organizationWithoutWaiting(exchange.getRequestHeaders());
      if (organization.isEmpty()) {
        return false;
      }
    }
    Optional<Organization> caller = organization;
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () ->
            RequestLog.within(
                exchange,
                requestId,
                caller,
                () -> receive(exchange, requestId, found, caller, started)));
    return true;
  }

  /**
   * On a virtual thread: the API key first, since checking it may take a database lookup, then the
   * body and the endpoint.
   */
  private void serve(
      HttpServerExchange exchange, String requestId, RouteTable.Lookup.Found found, long started) {
    Route route = found.route();
    try {
      Optional<Organization> organization = Optional.empty();
      if (route.access() == Route.Access.ORGANIZATION) {
        organization = authentication.organization(exchange.getRequestHeaders());
        if (organization.isEmpty()) {
          ReplyWriter.writeOnIoThread(
              exchange, requestId, ErrorResponses.unauthorized("a valid API key is required"));
          return;
        }
        RequestLog.identified(exchange, organization.get());
      }
      receive(exchange, requestId, found, organization, started);
    } catch (RuntimeException e) {
      ReplyWriter.writeOnIoThread(
          exchange, requestId, ErrorResponses.forException(e, requestId, name(route)));
    }
  }

  /**
   * Once the caller is known: the body, then the endpoint. A request refused before its body was
   * read has its connection closed by {@link ReplyWriter} rather than its body read and thrown
   * away. A body that arrives later, through the IO thread, goes to a virtual thread unless the
   * route does not block.
   */
  private void receive(
      HttpServerExchange exchange,
      String requestId,
      RouteTable.Lookup.Found found,
      Optional<Organization> caller,
      long started) {
    Route route = found.route();
    try {
      if (!route.jsonBody() || (route.bodyOptional() && BodyReader.declaresNone(exchange))) {
        answer(exchange, requestId, found, caller, NO_BODY);
        return;
      }
      Optional<Reply> refusal = bodyReader.refusal(exchange);
      if (refusal.isPresent()) {
        bodyReader.boundDiscard(exchange, refusal.get());
        ReplyWriter.writeOnIoThread(exchange, requestId, refusal.get());
        return;
      }
      Arrival arrival = new Arrival();
      bodyReader.read(
          exchange,
          started,
          body -> {
            if (arrival.inline()) {
              // Still within this call, so within the request's log context already.
              answer(exchange, requestId, found, caller, body);
            } else if (route.nonBlocking()) {
              RequestLog.within(
                  exchange,
                  requestId,
                  caller,
                  () -> answer(exchange, requestId, found, caller, body));
            } else {
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
            }
          },
          reply -> {
            bodyReader.boundDiscard(exchange, reply);
            ReplyWriter.writeOnIoThread(exchange, requestId, reply);
          });
      arrival.returned = true;
    } catch (RuntimeException e) {
      ReplyWriter.writeOnIoThread(
          exchange, requestId, ErrorResponses.forException(e, requestId, name(route)));
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
    CompletableFuture<Reply> reply;
    try {
      Call call =
          new Call(
              found.parameters(),
              exchange.getQueryParameters(),
              name -> exchange.getRequestHeaders().getFirst(name),
              body,
              organization);
      reply = route.endpoint().handle(call).toCompletableFuture();
    } catch (RuntimeException e) {
      reply =
          CompletableFuture.completedFuture(ErrorResponses.forException(e, requestId, name(route)));
    }
    if (reply.isDone()) {
      Reply done;
      try {
        done = reply.join();
      } catch (CompletionException e) {
        done = ErrorResponses.forFailure(e, requestId, name(route));
      }
      ReplyWriter.writeOnIoThread(exchange, requestId, done);
      return;
    }
    readyReplies.writeWhenDone(exchange, requestId, organization, reply, name(route));
  }

  /**
   * Whether a body callback runs inline, on the thread that asked for the body before the reader
   * returned (within that thread's log context), or later, on the IO thread, once the rest of the
   * body came in. Only the asking thread reads {@code returned}.
   */
  private static final class Arrival {
    private final Thread reader = Thread.currentThread();
    private boolean returned;

    boolean inline() {
      return Thread.currentThread() == reader && !returned;
    }
  }

  private static String name(Route route) {
    return route.method() + " " + route.template();
  }
}

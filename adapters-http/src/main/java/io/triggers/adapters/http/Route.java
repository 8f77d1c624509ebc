package io.triggers.adapters.http;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One operation of the API: a method and a path template such as {@code /api/events/{id}}, who may
 * call it, whether it reads a JSON body (and whether that body may be left out), and the endpoint
 * that answers.
 *
 * <p>An {@code inline} route answers on the IO thread and must never block, so it neither checks an
 * API key nor reads a body; a {@link #nonBlocking} route starts on the IO thread when it can; every
 * other route runs on a virtual thread.
 */
record Route(
    String method,
    String template,
    Access access,
    boolean jsonBody,
    boolean bodyOptional,
    boolean inline,
    boolean nonBlocking,
    AsyncEndpoint endpoint) {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "DELETE");

  Route {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(endpoint, "endpoint");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("unsupported method " + method);
    }
    if (template == null || !template.startsWith("/") || template.endsWith("/")) {
      throw new IllegalArgumentException("a template starts with / and does not end with it");
    }
    if (inline && (access == Access.ORGANIZATION || jsonBody)) {
      // Checking a key may wait for the database and a body for the client, neither on an IO
      // thread.
      throw new IllegalArgumentException(
          "an inline route neither checks an API key nor reads a body");
    }
  }

  static Route of(String method, String template, Access access, Endpoint endpoint) {
    return new Route(
        method,
        template,
        access,
        false,
        false,
        false,
        false,
        call -> CompletableFuture.completedFuture(endpoint.handle(call)));
  }

  /**
   * A route whose endpoint never blocks: it starts its work and returns a stage that completes when
   * the work does. Such a route runs on the IO thread as far as it can: when its caller's key is
   * known without a lookup, the body is read and the endpoint started there, and the reply is
   * written from the stage's completion; otherwise it runs as any other route.
   */
  static Route nonBlocking(String method, String template, Access access, AsyncEndpoint endpoint) {
    return new Route(method, template, access, false, false, false, true, endpoint);
  }

  Route withJsonBody() {
    return new Route(method, template, access, true, false, inline, nonBlocking, endpoint);
  }

  /**
   * A route that reads a JSON body when the request has one, and answers without one when it
   * declares none (no {@code Transfer-Encoding}, no or a zero {@code Content-Length}).
   */
  Route withOptionalJsonBody() {
    return new Route(method, template, access, true, true, inline, nonBlocking, endpoint);
  }

  Route onIoThread() {
    return new Route(method, template, access, jsonBody, bodyOptional, true, nonBlocking, endpoint);
  }

  /** The template split at slashes; a segment in braces matches any one non-empty segment. */
  List<String> segments() {
    return List.of(template.substring(1).split("/"));
  }

  /** Who may call a route. */
  enum Access {
    /** Anyone. */
    ANYONE,
    /** Anyone with the admin token, or anyone at all when no admin token is configured. */
    ADMIN,
    /** A client with a valid API key, acting for its organization. */
    ORGANIZATION
  }

  /** Answers one call of a route; may throw ApiException or InvalidValueException for bad input. */
  @FunctionalInterface
  interface Endpoint {
    Reply handle(Call call);
  }

  /**
   * Answers one call of a route through a stage; may throw for bad input as {@link Endpoint} does,
   * and the stage may fail with what an endpoint would throw.
   */
  @FunctionalInterface
  interface AsyncEndpoint {
    CompletionStage<Reply> handle(Call call);
  }
}

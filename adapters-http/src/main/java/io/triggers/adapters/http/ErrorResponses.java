package io.triggers.adapters.http;

import io.triggers.core.model.FailureLog;
import io.triggers.core.model.FailureLogs;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.StorageUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/** The error replies of the API, and the mapping of exceptions to them. */
final class ErrorResponses {

  /** How long a client should wait before retrying while the store is unreachable. */
  static final int STORAGE_RETRY_AFTER_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());

  /** A failure that every request meets (a bug on a busy route, an outage) is logged this often. */
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(60);

  private static final FailureLog STORAGE_FAILURES =
      new FailureLog(
          LOG, System.Logger.Level.WARNING, "Requests needing storage", FAILURE_LOG_INTERVAL);

  /**
   * One log per route template, so that a flood on one route does not hide a failure on another;
   * there are only as many keys as routes.
   */
  private static final FailureLogs<String> UNEXPECTED_FAILURES =
      new FailureLogs<>(
          LOG,
          System.Logger.Level.ERROR,
          route -> "Requests to " + route,
          FAILURE_LOG_INTERVAL,
          System::nanoTime,
          1_000);

  private ErrorResponses() {}

  static Reply notFound(String message) {
    return Reply.error(404, "not_found", message);
  }

  static Reply eventNotFound() {
    return notFound("no such event");
  }

  static Reply leaseNotFound() {
    return notFound("no such lease");
  }

  static Reply endpointNotFound() {
    return notFound("no such endpoint");
  }

  static Reply noRoute() {
    return notFound("no such resource");
  }

  static Reply methodNotAllowed(Collection<String> allowed) {
    return Reply.error(405, "method_not_allowed", "this resource does not support that method")
        .withHeader("Allow", String.join(", ", allowed));
  }

  static Reply unauthorized(String message) {
    return Reply.error(401, "unauthorized", message).withHeader("WWW-Authenticate", "Bearer");
  }

  static Reply invalidRequest(InvalidValueException e) {
    return Reply.error(400, "invalid_request", e.getMessage()).withDetail("field", e.field());
  }

  static Reply invalidJson(String message) {
    return Reply.error(400, "invalid_json", message);
  }

  static Reply payloadTooLarge(long limit) {
    return Reply.error(
            413, "payload_too_large", "the request body is larger than " + limit + " bytes")
        .withDetail("max_bytes", limit);
  }

  static Reply unsupportedMediaType() {
    return Reply.error(
        415, "unsupported_media_type", "the request body must be sent as application/json");
  }

  static Reply unavailable() {
    return Reply.error(503, "unavailable", "storage is unavailable, try again later")
        .withHeader("Retry-After", Integer.toString(STORAGE_RETRY_AFTER_SECONDS));
  }

  static Reply shuttingDown() {
    return Reply.error(503, "unavailable", "the server is shutting down, try again later")
        .withHeader("Retry-After", "1");
  }

  /** Every body being read together holds the memory the server allows them; a retry may fit. */
  static Reply bodyMemoryExhausted() {
    return Reply.error(
            503, "unavailable", "the server is reading too many request bodies, try again later")
        .withHeader("Retry-After", "1");
  }

  static Reply bodyTimedOut() {
    return Reply.error(408, "request_timeout", "the request body did not arrive in time");
  }

  static Reply malformedFraming(String message) {
    return Reply.error(400, "invalid_request", message);
  }

  /**
   * The reply for a status the HTTP server set itself, without a body of ours: a request it could
   * not hand to a worker, or one whose handling failed outside every endpoint.
   */
  static Reply forStatus(int status) {
    return switch (status) {
      case 503 -> shuttingDown();
      case 500 -> internalError();
      case 408 -> bodyTimedOut();
      case 413 -> Reply.error(413, "payload_too_large", "the request body is too large");
      default ->
          status >= 500
              ? Reply.error(status, "internal_error", "the server failed to handle this request")
              : Reply.error(status, "invalid_request", "the request could not be handled");
    };
  }

  static Reply internalError() {
    return Reply.error(500, "internal_error", "the server failed to handle this request");
  }

  /**
   * Maps whatever an endpoint threw. Only server-side failures are logged, by request id and route,
   * and without flooding: the first of a kind with its stack trace, then a count once a minute.
   * Messages and causes of client errors never reach the log, so neither do payloads.
   */
  static Reply forException(RuntimeException e, String requestId, String route) {
    return switch (e) {
      case ApiException api -> api.reply();
      case InvalidValueException invalid -> invalidRequest(invalid);
      case RejectedExecutionException rejected -> shuttingDown();
      case StorageUnavailableException unavailable -> {
        STORAGE_FAILURES.record(
            "request "
                + requestId
                + " to "
                + route
                + ": storage unavailable: "
                + unavailable.getMessage());
        yield unavailable();
      }
      default -> {
        UNEXPECTED_FAILURES.record(route, "request " + requestId + ": " + e, e);
        yield internalError();
      }
    };
  }

  /**
   * Maps what an endpoint's stage failed with, as {@link #forException} maps what an endpoint
   * throws; a stage's wrapping is taken off first.
   */
  static Reply forFailure(Throwable failure, String requestId, String route) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return forException(
        cause instanceof RuntimeException e
            ? e
            : new IllegalStateException("the endpoint failed", cause),
        requestId,
        route);
  }
}

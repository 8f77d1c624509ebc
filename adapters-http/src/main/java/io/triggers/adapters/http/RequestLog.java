package io.triggers.adapters.http;

import io.triggers.core.model.Organization;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What the log knows of a request. While a thread handles it (a virtual thread, or the IO thread
 * for a route that does not block), the MDC holds its request id and, once its key is checked, its
 * organization's id, so that every line logged meanwhile carries them; and, when enabled, one
 * access line per request at the {@value #ACCESS_LOGGER} logger, which operators can route on its
 * own.
 *
 * <p>Neither ever holds a key, a token, a body or a query string: only the method, the route's
 * template (or, for a path that matches none, the path), the status, the bytes sent and the time
 * taken. Framing and routing on the IO threads set no MDC: they log nothing.
 */
final class RequestLog {

  static final String ACCESS_LOGGER = "io.triggers.access";
  static final String REQUEST_ID = "request_id";
  static final String ORGANIZATION_ID = "org_id";

  private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);
  private static final AttachmentKey<String> ORGANIZATION = AttachmentKey.create(String.class);

  /** A path that matches no route is attacker's text: it is shortened and kept to one line. */
  private static final int MAX_PATH_LENGTH = 200;

  private final boolean accessLog;

  RequestLog(boolean accessLog) {
    this.accessLog = accessLog;
  }

  /**
   * Runs {@code handling} on the calling thread with the request's ids in the MDC, and removes them
   * after it. Not to be nested: each hop of a request on a thread calls it once.
   */
  static void within(
      HttpServerExchange exchange,
      String requestId,
      Optional<Organization> organization,
      Runnable handling) {
    MDC.put(REQUEST_ID, requestId);
    if (organization.isPresent()) {
      identified(exchange, organization.get());
    }
    try {
      handling.run();
    } finally {
      MDC.remove(REQUEST_ID);
      MDC.remove(ORGANIZATION_ID);
    }
  }

  /** Records who the caller is, for the lines logged from now on and for the access line. */
  static void identified(HttpServerExchange exchange, Organization organization) {
    // Rendered once a request: every later hop of the same request finds it on the exchange.
    String id = exchange.getAttachment(ORGANIZATION);
    if (id == null) {
      id = organization.id().toString();
      exchange.putAttachment(ORGANIZATION, id);
    }
    MDC.put(ORGANIZATION_ID, id);
  }

  /** Whether access lines are written, so that a request that ends need not prepare one. */
  boolean enabled() {
    return accessLog && ACCESS.isInfoEnabled();
  }

  /**
   * Logs the access line of a request that has ended, if enabled. {@code route} is the template of
   * the route it matched, or empty when it matched none.
   */
  void completed(
      HttpServerExchange exchange,
      String method,
      Optional<String> route,
      String requestId,
      long elapsedNanos) {
    if (!enabled()) {
      return;
    }
    String organization = exchange.getAttachment(ORGANIZATION);
    String path = route.orElseGet(() -> printable(exchange.getRequestPath()));
    long micros = elapsedNanos / 1_000;
    MDC.put(REQUEST_ID, requestId);
    if (organization != null) {
      MDC.put(ORGANIZATION_ID, organization);
    }
    try {
      ACCESS.info(
          "method={} path={} status={} bytes={} duration_ms={}.{} request_id={} org_id={}",
          method,
          path,
          exchange.getStatusCode(),
          exchange.getResponseBytesSent(),
          micros / 1_000,
          threeDigits(micros % 1_000),
          requestId,
          organization == null ? "-" : organization);
    } finally {
      MDC.remove(REQUEST_ID);
      MDC.remove(ORGANIZATION_ID);
    }
  }

  /** {@code 0 <= value < 1000} with leading zeros, as {@code %03d} writes it, without a format. */
  static String threeDigits(long value) {
    String digits = Long.toString(value);
    return switch (digits.length()) {
      case 1 -> "00" + digits;
      case 2 -> "0" + digits;
      default -> digits;
    };
  }

  /** The path with control characters, spaces and quotes replaced, and cut to a bounded length. */
  static String printable(String path) {
    int length = Math.min(path.length(), MAX_PATH_LENGTH);
    StringBuilder text = new StringBuilder(length + 1);
    for (int i = 0; i < length; i++) {
      char c = path.charAt(i);
      boolean unsafe =
          Character.isISOControl(c)
              || Character.isWhitespace(c)
              || Character.isSpaceChar(c)
              || c == '"';
      text.append(unsafe ? '?' : c);
    }
    if (path.length() > MAX_PATH_LENGTH) {
      text.append("...");
    }
    return text.isEmpty() ? "/" : text.toString();
  }
}

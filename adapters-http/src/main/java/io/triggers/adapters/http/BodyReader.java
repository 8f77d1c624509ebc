package io.triggers.adapters.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/**
 * Reads JSON request bodies without blocking and within bounds: a declared length over the limit is
 * refused before a byte is read, a chunked body as soon as it grows past the limit; the buffer
 * grows as bytes arrive, each step reserved from the {@link BodyBudget} shared by all requests (503
 * when it is spent); and a body that has not fully arrived within the read timeout of the request's
 * headers is refused with 408.
 */
final class BodyReader {

  /**
   * How much of a refused body is still read and thrown away after the 413, so that clients which
   * only read the response once they have sent everything get to see it. A client that keeps
   * sending beyond this has its connection closed.
   */
  static final long DISCARD_ALLOWANCE_BYTES = 16L * 1024 * 1024;

  /** The first buffer of a body; it doubles from there as the body arrives. */
  static final int FIRST_BUFFER_BYTES = 16 * 1024;

  private final long maxBytes;
  private final BodyBudget budget;
  private final long timeoutNanos;

  BodyReader(long maxBytes, BodyBudget budget, Duration timeout) {
    this.maxBytes = maxBytes;
    this.budget = budget;
    this.timeoutNanos = timeout.toNanos();
  }

  /** Caps what the connection will ever read of this request's body, refused or not. */
  void limitConnection(HttpServerExchange exchange) {
    exchange.setMaxEntitySize(maxBytes + DISCARD_ALLOWANCE_BYTES);
  }

  /**
   * Before a refusal is sent: a 413 leaves the rest of the body to be read and thrown away (within
   * the discard allowance), and this closes the connection if that has not ended within the read
   * timeout; every other refusal closes the connection at once (see {@link ReplyWriter#send}).
   */
  void boundDiscard(HttpServerExchange exchange, Reply refusal) {
    if (refusal.status() == 413 && !exchange.isRequestComplete()) {
      exchange
          .getIoThread()
          .executeAfter(
              () -> {
                if (!exchange.isRequestComplete()) {
                  IoUtils.safeClose(exchange.getConnection());
                }
              },
              timeoutNanos,
              TimeUnit.NANOSECONDS);
    }
  }

  /** Whether the request declares no body: no {@code Transfer-Encoding}, no or a zero length. */
  static boolean declaresNone(HttpServerExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    return !exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
        && (length == null || length.strip().equals("0"));
  }

  /** A reply refusing the body before it is read: wrong content type or declared too large. */
  Optional<Reply> refusal(HttpServerExchange exchange) {
    if (!isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
      return Optional.of(ErrorResponses.unsupportedMediaType());
    }
    long declared = declaredLength(exchange);
    if (declared == INVALID_LENGTH) {
      return Optional.of(Reply.error(400, "invalid_request", "Content-Length is not a number"));
    }
    if (declared > maxBytes) {
      return Optional.of(ErrorResponses.payloadTooLarge(maxBytes));
    }
    return Optional.empty();
  }

  /**
   * Reads the whole body, then hands it to {@code onBody}; on failure hands {@code onRefused} the
   * reply to send instead. The whole body must have arrived within the read timeout of {@code
   * startedNanos}, when the request's headers were read. Starts on the calling thread; either
   * callback may run on it or, if the body has yet to arrive, later on the connection's IO thread.
   * The body's reservation is the caller's to release once it is done with the bytes.
   */
  void read(
      HttpServerExchange exchange,
      long startedNanos,
      Consumer<Body> onBody,
      Consumer<Reply> onRefused) {
    BodyRead read =
        new BodyRead(
            exchange,
            declaredLength(exchange),
            maxBytes,
            budget.reservation(),
            onBody,
            onRefused,
            startedNanos + timeoutNanos);
    if (HttpContinue.requiresContinueResponse(exchange)) {
      HttpContinue.sendContinueResponse(
          exchange,
          new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
              read.start();
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException failure) {
              read.fail(Reply.error(400, "invalid_request", "the request body could not be read"));
            }
          });
    } else {
      read.start();
    }
  }

  private static final long INVALID_LENGTH = -2;
  private static final long UNKNOWN_LENGTH = -1;

  private static long declaredLength(HttpServerExchange exchange) {
    String declared = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    if (declared == null) {
      return exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING) ? UNKNOWN_LENGTH : 0;
    }
    try {
      long length = Long.parseLong(declared.trim());
      return length < 0 ? INVALID_LENGTH : length;
    } catch (NumberFormatException e) {
      return INVALID_LENGTH;
    }
  }

  /** application/json, with any parameters, but if a charset is given it must be UTF-8. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].trim().equalsIgnoreCase("charset")) {
        String charset = parameter.length > 1 ? parameter[1].trim().replace("\"", "") : "";
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  /** A body read in full, and its share of the budget, to release once it is no longer needed. */
  record Body(byte[] bytes, BodyBudget.Reservation reservation) {}
}

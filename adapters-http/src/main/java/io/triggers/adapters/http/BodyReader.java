package io.triggers.adapters.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

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

  private static final ByteBuffer END_PROBE = ByteBuffer.allocate(0);

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
   * A reply refusing the request for its framing, before anything else is looked at: a header name
   * that is not a token or a value with a control character in it, which the server's parser lets
   * through but a proxy in front may read otherwise; a {@code Transfer-Encoding} other than {@code
   * chunked} alone, which the server would otherwise read as chunked, or one sent together with
   * {@code Content-Length}, is how requests are smuggled past a proxy that reads them differently.
   */
  static Optional<Reply> framingRefusal(HeaderMap headers) {
    for (HeaderValues field : headers) {
      if (!isToken(field.getHeaderName().toString())) {
        return Optional.of(ErrorResponses.malformedFraming("a header name is not a token"));
      }
      for (String value : field) {
        if (hasControlCharacter(value)) {
          return Optional.of(
              ErrorResponses.malformedFraming("a header value holds a control character"));
        }
      }
    }
    HeaderValues transferEncoding = headers.get(Headers.TRANSFER_ENCODING);
    if (transferEncoding == null) {
      return Optional.empty();
    }
    if (transferEncoding.size() != 1
        || !withoutSpaceAround(transferEncoding.getFirst()).equalsIgnoreCase("chunked")) {
      return Optional.of(
          ErrorResponses.malformedFraming(
              "Transfer-Encoding must be chunked, and given only once"));
    }
    if (headers.contains(Headers.CONTENT_LENGTH)) {
      return Optional.of(
          ErrorResponses.malformedFraming(
              "Content-Length and Transfer-Encoding must not both be sent"));
    }
    return Optional.empty();
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

  /** RFC 9110 token: the characters a field name may hold. */
  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  /** Anything below a space but a tab, or DEL: never part of a field value (RFC 9110 5.5). */
  private static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /** Without the spaces and tabs HTTP allows around a value, and nothing else taken off. */
  private static String withoutSpaceAround(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    return value.substring(start, end);
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
    Read read =
        new Read(
            exchange, declaredLength(exchange), onBody, onRefused, startedNanos + timeoutNanos);
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

  /**
   * One body being read. The first reads run on the caller's thread; once the connection has
   * nothing more for now, the rest run from a read listener on the IO thread, where the timeout
   * also fires, and exactly one of them ends the read.
   */
  private final class Read implements ChannelListener<StreamSourceChannel> {

    private final HttpServerExchange exchange;
    private final long declared;
    private final Consumer<Body> onBody;
    private final Consumer<Reply> onRefused;
    private final long deadline;
    private final BodyBudget.Reservation reservation = budget.reservation();
    private final AtomicBoolean ended = new AtomicBoolean();
    private StreamSourceChannel channel;
    private byte[] buffer = new byte[0];
    private int size;
    private volatile XnioExecutor.Key timeout;

    Read(
        HttpServerExchange exchange,
        long declared,
        Consumer<Body> onBody,
        Consumer<Reply> onRefused,
        long deadline) {
      this.exchange = exchange;
      this.declared = declared;
      this.onBody = onBody;
      this.onRefused = onRefused;
      this.deadline = deadline;
    }

    void start() {
      if (declared == 0) {
        succeed();
        return;
      }
      channel = exchange.getRequestChannel();
      if (channel == null) {
        fail(Reply.error(400, "invalid_request", "the request body could not be read"));
        return;
      }
      readAvailable();
    }

    @Override
    public void handleEvent(StreamSourceChannel source) {
      if (!ended.get()) {
        readAvailable();
      }
    }

    private void readAvailable() {
      try {
        while (true) {
          if (declared > 0 && size == declared) {
            // One more read, which finds the end, marks the request as read in full, so that the
            // connection stays open for the next one.
            channel.read(END_PROBE);
            succeed();
            return;
          }
          if (size == buffer.length && !grow()) {
            return;
          }
          int n = channel.read(ByteBuffer.wrap(buffer, size, buffer.length - size));
          if (n == -1) {
            if (declared > 0) {
              // The client went away before sending what it announced; nobody is left to answer.
              fail(Reply.error(400, "invalid_request", "the request body ended early"));
            } else {
              succeed();
            }
            return;
          }
          if (n == 0) {
            await();
            return;
          }
          size += n;
          if (declared < 0 && size > maxBytes) {
            fail(ErrorResponses.payloadTooLarge(maxBytes));
            return;
          }
        }
      } catch (RequestTooBigException e) {
        fail(ErrorResponses.payloadTooLarge(maxBytes));
      } catch (IOException | RuntimeException e) {
        fail(Reply.error(400, "invalid_request", "the request body could not be read"));
      }
    }

    /** Doubles the buffer, up to the declared length or one byte past the limit, within budget. */
    private boolean grow() {
      long ceiling = declared > 0 ? declared : maxBytes + 1;
      int capacity = (int) Math.min(ceiling, Math.max(FIRST_BUFFER_BYTES, 2L * buffer.length));
      if (!reservation.grow(capacity - buffer.length)) {
        fail(ErrorResponses.bodyMemoryExhausted());
        return false;
      }
      buffer = Arrays.copyOf(buffer, capacity);
      return true;
    }

    private void await() {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        fail(ErrorResponses.bodyTimedOut());
        return;
      }
      channel.getReadSetter().set(this);
      channel.resumeReads();
      // Armed only now, so that it never fires while the caller's thread is still reading. It may
      // outlive the read, and then it finds the read ended and does nothing.
      if (timeout == null) {
        timeout =
            exchange.getIoThread().executeAfter(this::timedOut, remaining, TimeUnit.NANOSECONDS);
      }
    }

    private void timedOut() {
      fail(ErrorResponses.bodyTimedOut());
    }

    private void succeed() {
      if (!end()) {
        return;
      }
      if (size != buffer.length && !reservation.grow(size)) {
        refuse(ErrorResponses.bodyMemoryExhausted());
        return;
      }
      byte[] body = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
      buffer = null;
      onBody.accept(new Body(body, reservation));
    }

    void fail(Reply reply) {
      if (end()) {
        refuse(reply);
      }
    }

    private void refuse(Reply reply) {
      buffer = null;
      reservation.release();
      onRefused.accept(reply);
    }

    /** Claims the end of the read for the caller, stopping reads and the timer; once only. */
    private boolean end() {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      if (timeout != null) {
        timeout.remove();
      }
      if (channel != null) {
        channel.getReadSetter().set(null);
        channel.suspendReads();
      }
      return true;
    }
  }
}

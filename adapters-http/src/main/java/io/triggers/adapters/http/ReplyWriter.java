package io.triggers.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Writes a reply to the exchange and ends it; usable from the IO thread and from workers. */
final class ReplyWriter {

  /** Sent if even the error reply cannot be serialised, which would be a bug. */
  private static final byte[] LAST_RESORT =
      "{\"error\":\"internal_error\",\"message\":\"the server failed to handle this request\"}"
          .getBytes(StandardCharsets.UTF_8);

  private static final AttachmentKey<Boolean> ANSWERED = AttachmentKey.create(Boolean.class);

  private static final int MAX_HEADER_NAMES = 64;
  private static final ConcurrentMap<String, HttpString> HEADER_NAMES = new ConcurrentHashMap<>();

  private ReplyWriter() {}

  /** Whether a reply of ours was written to the exchange, even one without a body. */
  static boolean answered(HttpServerExchange exchange) {
    return exchange.getAttachment(ANSWERED) != null;
  }

  static void write(HttpServerExchange exchange, String requestId, Reply reply) {
    send(exchange, render(reply, requestId));
  }

  /**
   * Hands the reply back to the connection's IO thread, which writes it and starts reading the next
   * request. Ending the exchange there, rather than on a worker, spares the IO thread from spinning
   * while a worker re-arms the connection, and a wake-up of the selector per request.
   */
  static void writeOnIoThread(HttpServerExchange exchange, String requestId, Reply reply) {
    Rendered rendered = render(reply, requestId);
    if (exchange.isInIoThread()) {
      send(exchange, rendered);
    } else {
      exchange.dispatch(exchange.getIoThread(), () -> send(exchange, rendered));
    }
  }

  /** The reply as it goes on the wire, serialised; heavy work that need not run on an IO thread. */
  static Rendered render(Reply reply, String requestId) {
    try {
      return switch (reply.body()) {
        case Reply.JsonBody json ->
            new Rendered(reply.status(), reply.headers(), Reply.JSON, Json.write(json.value()));
        case Reply.RawBody raw ->
            new Rendered(reply.status(), reply.headers(), raw.contentType(), raw.bytes());
        case Reply.ErrorBody error ->
            new Rendered(
                reply.status(),
                reply.headers(),
                Reply.JSON,
                Json.write(errorDocument(error, requestId)));
        case Reply.NoBody none -> new Rendered(reply.status(), reply.headers(), null, null);
      };
    } catch (RuntimeException e) {
      Reply failed = ErrorResponses.forException(e, requestId, "writing a reply");
      return new Rendered(failed.status(), Map.of(), Reply.JSON, LAST_RESORT);
    }
  }

  /**
   * Writes a rendered reply and ends the exchange, unless a response was already started. A reply
   * to a request whose body was not read to the end closes the connection, rather than have the
   * server read the rest of a body nobody wants; only a 413 leaves the rest to be read and thrown
   * away, within limits, so that a client that sends everything before it reads sees the answer. A
   * 400 to a chunked request closes it too: the chunks may have been framed in a way the server
   * read leniently, and whatever follows them is not to be trusted as the next request.
   */
  static void send(HttpServerExchange exchange, Rendered rendered) {
    if (exchange.isResponseStarted()) {
      return;
    }
    exchange.putAttachment(ANSWERED, Boolean.TRUE);
    if ((rendered.status() != 413 && !exchange.isRequestComplete())
        || (rendered.status() == 400
            && exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING))) {
      exchange.setPersistent(false);
    }
    exchange.setStatusCode(rendered.status());
    HeaderMap headers = exchange.getResponseHeaders();
    for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
      headers.put(headerName(header.getKey()), header.getValue());
    }
    if (rendered.body() == null) {
      exchange.endExchange();
      return;
    }
    headers.put(Headers.CONTENT_TYPE, rendered.contentType());
    exchange.setResponseContentLength(rendered.body().length);
    exchange.getResponseSender().send(ByteBuffer.wrap(rendered.body()));
  }

  /**
   * The header's name as Undertow takes it, made once per name: the names come from this adapter's
   * own code, a handful in all, never from a client. The cache stops growing at a bound all the
   * same, should that ever change.
   */
  private static HttpString headerName(String name) {
    HttpString known = HEADER_NAMES.get(name);
    if (known != null) {
      return known;
    }
    HttpString made = new HttpString(name);
    if (HEADER_NAMES.size() < MAX_HEADER_NAMES) {
      HEADER_NAMES.putIfAbsent(name, made);
    }
    return made;
  }

  /** A serialised reply: without a body, {@code contentType} and {@code body} are null. */
  record Rendered(int status, Map<String, String> headers, String contentType, byte[] body) {}

  private static Map<String, Object> errorDocument(Reply.ErrorBody error, String requestId) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("error", error.code());
    document.put("message", error.message());
    document.put("request_id", requestId);
    error.details().forEach(document::putIfAbsent);
    return document;
  }
}

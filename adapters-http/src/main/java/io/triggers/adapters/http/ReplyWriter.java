package io.triggers.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a reply to the exchange and ends it; usable from the IO thread and from workers. */
final class ReplyWriter {

  /** Sent if even the error reply cannot be serialised, which would be a bug. */
  private static final byte[] LAST_RESORT =
      "{\"error\":\"internal_error\",\"message\":\"the server failed to handle this request\"}"
          .getBytes(StandardCharsets.UTF_8);

  private ReplyWriter() {}

  static void write(HttpServerExchange exchange, String requestId, Reply reply) {
    send(exchange, render(reply, requestId));
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

  /** Writes a rendered reply and ends the exchange, unless a response was already started. */
  static void send(HttpServerExchange exchange, Rendered rendered) {
    if (exchange.isResponseStarted()) {
      return;
    }
    exchange.setStatusCode(rendered.status());
    rendered
        .headers()
        .forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
    if (rendered.body() == null) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, rendered.contentType());
    exchange.setResponseContentLength(rendered.body().length);
    exchange.getResponseSender().send(ByteBuffer.wrap(rendered.body()));
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

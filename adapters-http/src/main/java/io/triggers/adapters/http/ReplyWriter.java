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
    if (exchange.isResponseStarted()) {
      return;
    }
    byte[] bytes;
    String contentType;
    try {
      switch (reply.body()) {
        case Reply.JsonBody json -> {
          bytes = Json.write(json.value());
          contentType = Reply.JSON;
        }
        case Reply.RawBody raw -> {
          bytes = raw.bytes();
          contentType = raw.contentType();
        }
        case Reply.ErrorBody error -> {
          bytes = Json.write(errorDocument(error, requestId));
          contentType = Reply.JSON;
        }
        case Reply.NoBody none -> {
          bytes = null;
          contentType = null;
        }
      }
    } catch (RuntimeException e) {
      Reply failed = ErrorResponses.forException(e, requestId, "writing a reply");
      exchange.setStatusCode(failed.status());
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Reply.JSON);
      exchange.getResponseSender().send(ByteBuffer.wrap(LAST_RESORT));
      return;
    }
    exchange.setStatusCode(reply.status());
    reply
        .headers()
        .forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
    if (bytes == null) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    exchange.setResponseContentLength(bytes.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
  }

  private static Map<String, Object> errorDocument(Reply.ErrorBody error, String requestId) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("error", error.code());
    document.put("message", error.message());
    document.put("request_id", requestId);
    error.details().forEach(document::putIfAbsent);
    return document;
  }
}

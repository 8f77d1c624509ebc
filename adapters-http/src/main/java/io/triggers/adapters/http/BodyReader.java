package io.triggers.adapters.http;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads JSON request bodies without blocking, never holding more than the body limit: a declared
 * length over the limit is refused before a byte is read, and a chunked body is refused as soon as
 * it grows past the limit.
 */
final class BodyReader {

  /**
   * How much of a refused body is still read and thrown away after the 413, so that clients which
   * only read the response once they have sent everything get to see it. A client that keeps
   * sending beyond this has its connection closed.
   */
  static final long DISCARD_ALLOWANCE_BYTES = 16L * 1024 * 1024;

  private final long maxBytes;

  BodyReader(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Caps what the connection will ever read of this request's body, refused or not. */
  void limitConnection(HttpServerExchange exchange) {
    exchange.setMaxEntitySize(maxBytes + DISCARD_ALLOWANCE_BYTES);
  }

  /** A reply refusing the body before it is read: wrong content type or declared too large. */
  Optional<Reply> refusal(HttpServerExchange exchange) {
    if (!isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
      return Optional.of(ErrorResponses.unsupportedMediaType());
    }
    String declared = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Optional.of(Reply.error(400, "invalid_request", "Content-Length is not a number"));
      }
      if (length > maxBytes) {
        return Optional.of(ErrorResponses.payloadTooLarge(maxBytes));
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the whole body, then hands it to {@code onBody}; on failure hands {@code onRefused} the
   * reply to send instead. Either callback may run on the IO thread.
   */
  void read(HttpServerExchange exchange, Consumer<byte[]> onBody, Consumer<Reply> onRefused) {
    Receiver receiver = exchange.getRequestReceiver();
    receiver.setMaxBufferSize((int) maxBytes);
    receiver.receiveFullBytes(
        (ex, bytes) -> onBody.accept(bytes),
        (ex, failure) ->
            onRefused.accept(
                failure instanceof RequestTooBigException
                        || failure instanceof Receiver.RequestToLargeException
                    ? ErrorResponses.payloadTooLarge(maxBytes)
                    : Reply.error(400, "invalid_request", "the request body could not be read")));
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
}

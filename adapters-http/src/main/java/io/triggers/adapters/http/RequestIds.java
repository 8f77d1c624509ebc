package io.triggers.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Chooses the id a request is known by: the client's own if it is sane, otherwise a fresh one. */
final class RequestIds {

  static final HttpString HEADER = new HttpString("X-Request-Id");

  private static final int MAX_LENGTH = 128;

  private RequestIds() {}

  static String accept(String offered) {
    return isSane(offered) ? offered : generate();
  }

  /** The id of this request, which its response then carries in {@link #HEADER}. */
  static String assign(HttpServerExchange exchange) {
    String requestId = accept(exchange.getRequestHeaders().getFirst(HEADER));
    exchange.getResponseHeaders().put(HEADER, requestId);
    return requestId;
  }

  /** Only short ids of safe characters are echoed, so a header can never smuggle anything in. */
  static boolean isSane(String offered) {
    if (offered == null || offered.isEmpty() || offered.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < offered.length(); i++) {
      char c = offered.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!safe) {
        return false;
      }
    }
    return true;
  }

  /** Request ids only correlate log lines with responses; they need not be unguessable. */
  static String generate() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}

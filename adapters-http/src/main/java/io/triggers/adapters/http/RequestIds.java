package io.triggers.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Chooses the id a request is known by: the client's own if it is sane, otherwise a fresh one. */
final class RequestIds {

  static final HttpString HEADER = new HttpString("X-Request-Id");

  private static final int MAX_LENGTH = 128;
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

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
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] text = new byte[32];
    hex(random.nextLong(), text, 0);
    hex(random.nextLong(), text, 16);
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /** The sixteen lowercase hex digits of {@code value}, most significant first, at {@code at}. */
  private static void hex(long value, byte[] text, int at) {
    for (int i = 15; i >= 0; i--) {
      text[at + i] = HEX_DIGITS[(int) value & 0xf];
      value >>>= 4;
    }
  }
}

package io.triggers.adapters.http;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Checks a request's framing before anything else is looked at, so smuggled requests are refused.
 */
final class RequestFraming {

  private RequestFraming() {}

  /**
   * A reply refusing the request for its framing, before anything else is looked at: a header name
   * that is not a token or a value with a control character in it, which the server's parser lets
   * through but a proxy in front may read otherwise; a {@code Transfer-Encoding} other than {@code
   * chunked} alone, which the server would otherwise read as chunked, or one sent together with
   * {@code Content-Length}, is how requests are smuggled past a proxy that reads them differently.
   */
  static Optional<Reply> refusal(HeaderMap headers) {
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
}

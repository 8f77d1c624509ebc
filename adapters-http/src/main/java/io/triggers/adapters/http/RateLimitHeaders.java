package io.triggers.adapters.http;

import io.triggers.core.model.RateLimit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Adds the X-RateLimit headers every ingest reply carries, and Retry-After when denied. */
final class RateLimitHeaders {

  private RateLimitHeaders() {}

  static Reply on(Reply reply, RateLimit rateLimit) {
    long remaining =
        switch (rateLimit) {
          case RateLimit.Allowed allowed -> allowed.remaining();
          case RateLimit.Denied denied -> 0;
        };
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-RateLimit-Limit", Integer.toString(rateLimit.limit()));
    headers.put("X-RateLimit-Remaining", Long.toString(Math.max(0, remaining)));
    headers.put("X-RateLimit-Reset", Long.toString(wholeSeconds(rateLimit.resetAfter())));
    if (rateLimit instanceof RateLimit.Denied denied) {
      headers.put("Retry-After", Long.toString(Math.max(1, wholeSeconds(denied.retryAfter()))));
    }
    return reply.withHeaders(headers);
  }

  /** Rounded up, so a client that waits this long is never early. */
  static long wholeSeconds(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return 0;
    }
    long seconds = duration.getSeconds();
    return duration.getNano() > 0 ? seconds + 1 : seconds;
  }
}

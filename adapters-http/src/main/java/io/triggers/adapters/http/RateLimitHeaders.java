package io.triggers.adapters.http;

import io.triggers.core.model.RateLimit;
import java.time.Duration;

/** Adds the X-RateLimit headers every ingest reply carries, and Retry-After when denied. */
final class RateLimitHeaders {

  private RateLimitHeaders() {}

  static Reply on(Reply reply, RateLimit rateLimit) {
    long remaining =
        switch (rateLimit) {
          case RateLimit.Allowed allowed -> allowed.remaining();
          case RateLimit.Denied denied -> 0;
        };
    Reply limited =
        reply
            .withHeader("X-RateLimit-Limit", Integer.toString(rateLimit.limit()))
            .withHeader("X-RateLimit-Remaining", Long.toString(Math.max(0, remaining)))
            .withHeader("X-RateLimit-Reset", Long.toString(wholeSeconds(rateLimit.resetAfter())));
    if (rateLimit instanceof RateLimit.Denied denied) {
      return limited.withHeader(
          "Retry-After", Long.toString(Math.max(1, wholeSeconds(denied.retryAfter()))));
    }
    return limited;
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

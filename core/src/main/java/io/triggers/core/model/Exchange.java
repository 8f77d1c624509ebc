package io.triggers.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one webhook attempt's exchange with the endpoint showed: the HTTP status it answered with,
 * if it answered at all, and how long the attempt took.
 */
public record Exchange(Optional<Integer> statusCode, Duration duration) {

  private static final Exchange NONE = new Exchange(Optional.empty(), Duration.ZERO);

  /** Refuses missing parts, a status outside 100–599 and a negative duration. */
  public Exchange {
    Objects.requireNonNull(statusCode, "statusCode");
    Objects.requireNonNull(duration, "duration");
    statusCode.ifPresent(
        code -> {
          if (code < 100 || code > 599) {
            throw new IllegalArgumentException("an HTTP status is from 100 to 599");
          }
        });
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a duration is not negative");
    }
  }

  /** An attempt that got no answer and took no time: refused before it reached the network. */
  public static Exchange none() {
    return NONE;
  }

  /** An attempt the endpoint answered with {@code statusCode} after {@code duration}. */
  public static Exchange answered(int statusCode, Duration duration) {
    return new Exchange(Optional.of(statusCode), duration);
  }

  /** An attempt that got no answer (no connection, or none in time) after {@code duration}. */
  public static Exchange unanswered(Duration duration) {
    return new Exchange(Optional.empty(), duration);
  }
}

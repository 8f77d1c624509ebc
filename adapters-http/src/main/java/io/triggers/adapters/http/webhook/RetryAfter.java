package io.triggers.adapters.http.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a {@code Retry-After} header: a number of seconds, or an HTTP date. */
final class RetryAfter {

  /** Longer than any schedule would wait; what a larger number of seconds becomes. */
  private static final long MAX_SECONDS = Duration.ofDays(365).toSeconds();

  private RetryAfter() {}

  /** How long the header asks to wait from {@code now}; empty if absent or unreadable. */
  static Optional<Duration> parse(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long seconds = value.length() > 12 ? MAX_SECONDS : Long.parseLong(value);
      return Optional.of(Duration.ofSeconds(Math.min(seconds, MAX_SECONDS)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

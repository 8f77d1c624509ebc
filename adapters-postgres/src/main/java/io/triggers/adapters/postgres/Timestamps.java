package io.triggers.adapters.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Instants to and from timestamptz columns. */
final class Timestamps {

  private static final long MICROS_PER_SECOND = 1_000_000;

  private Timestamps() {}

  /** PostgreSQL keeps microseconds; truncating here makes what is read back predictable. */
  static OffsetDateTime of(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /**
   * Microseconds since the epoch, truncated as {@link #of} does. An instant too far out for a long
   * saturates, so that the database refuses it as out of its range rather than store another time.
   */
  static long micros(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds > Long.MAX_VALUE / MICROS_PER_SECOND - 1) {
      return Long.MAX_VALUE;
    }
    if (seconds < Long.MIN_VALUE / MICROS_PER_SECOND + 1) {
      return Long.MIN_VALUE;
    }
    return seconds * MICROS_PER_SECOND + instant.getNano() / 1_000;
  }

  static Optional<Instant> read(ResultSet rs, String column) throws SQLException {
    return read(rs, rs.findColumn(column));
  }

  static Optional<Instant> read(ResultSet rs, int column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }
}

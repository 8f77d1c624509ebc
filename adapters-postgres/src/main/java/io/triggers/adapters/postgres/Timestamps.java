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

  private Timestamps() {}

  /** PostgreSQL keeps microseconds; truncating here makes what is read back predictable. */
  static OffsetDateTime of(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  static Optional<Instant> read(ResultSet rs, String column) throws SQLException {
    return read(rs, rs.findColumn(column));
  }

  static Optional<Instant> read(ResultSet rs, int column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.AttemptLog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The attempt log read from the delivery_attempts table, which {@link DeliveryResults} writes. An
 * event's rows are found by the primary key's prefix; the limit per endpoint is applied as they are
 * read, so that logging an attempt never has to prune.
 */
final class PostgresAttemptLog implements AttemptLog {

  private static final String ATTEMPTS =
      """
      SELECT endpoint_id, attempted_at, outcome, status_code, error, duration_ms FROM (
        SELECT a.*, row_number() OVER (
                 PARTITION BY endpoint_id ORDER BY attempted_at DESC, seq DESC) AS nth
        FROM delivery_attempts a WHERE org_id = :org AND event_id = :id) latest
      WHERE nth <= :shown
      ORDER BY attempted_at DESC, seq DESC
      """;

  private final Jdbi jdbi;

  PostgresAttemptLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public List<DeliveryAttempt> attempts(OrganizationId organization, EventId id) {
    return SqlFailures.withHandle(
        jdbi,
        "read an event's attempts",
        handle ->
            handle
                .createQuery(ATTEMPTS)
                .bind("org", organization.value())
                .bind("id", id.value())
                .bind("shown", SHOWN_PER_ENDPOINT)
                .map(
                    (rs, ctx) -> {
                      int code = rs.getInt("status_code");
                      Optional<Integer> statusCode =
                          rs.wasNull() ? Optional.empty() : Optional.of(code);
                      return new DeliveryAttempt(
                          new EndpointId(rs.getObject("endpoint_id", UUID.class)),
                          Timestamps.read(rs, "attempted_at").orElseThrow(),
                          DeliveryStatus.parse(rs.getString("outcome")),
                          statusCode,
                          Optional.ofNullable(rs.getString("error")),
                          Duration.ofMillis(rs.getLong("duration_ms")));
                    })
                .list());
  }
}

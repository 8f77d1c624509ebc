package io.triggers.adapters.postgres;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.EventLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Jdbi;

/** The event log on PostgreSQL: appends from all callers share one {@link GroupCommitter}. */
final class PostgresEventLog implements EventLog {

  private static final String FIND =
      "SELECT " + EventRows.COLUMNS + " FROM events WHERE org_id = :org AND id = :id";

  /**
   * Deletes the events' deliveries and logged attempts with them, and answers how many events it
   * deleted.
   */
  private static final String AND_THEIR_DELIVERIES =
      """
      , dropped AS (
        DELETE FROM deliveries d USING gone WHERE d.org_id = gone.org_id AND d.event_id = gone.id),
      unlogged AS (
        DELETE FROM delivery_attempts a USING gone
        WHERE a.org_id = gone.org_id AND a.event_id = gone.id)
      SELECT count(*) FROM gone
      """;

  private static final String DELETE =
      "WITH gone AS (DELETE FROM events WHERE org_id = :org AND id = :id RETURNING org_id, id)"
          + AND_THEIR_DELIVERIES;

  /**
   * Old rows are found by the BRIN index on created_at and read by physical address, so one batch
   * costs little however large the table; they are locked in the order of {@link
   * EventSummaries#lock}, not in the order of their addresses, before they are deleted by key.
   */
  static final String DELETE_CREATED_BEFORE =
      """
      WITH locked AS (
        SELECT org_id, id FROM events
        WHERE ctid = ANY(ARRAY(SELECT ctid FROM events WHERE created_at < :cutoff LIMIT :maxEvents))
          AND created_at < :cutoff
        ORDER BY org_id, id
        FOR UPDATE),
      gone AS (
        DELETE FROM events e USING locked WHERE e.org_id = locked.org_id AND e.id = locked.id
        RETURNING e.org_id, e.id)
      """
          + AND_THEIR_DELIVERIES;

  private final Jdbi jdbi;
  private final GroupCommitter committer;

  PostgresEventLog(Jdbi jdbi, GroupCommitter committer) {
    this.jdbi = jdbi;
    this.committer = committer;
  }

  @Override
  public List<AppendResult> append(List<Event> events, DeliveryMethod method) {
    if (events.isEmpty()) {
      return List.of();
    }
    return committer.append(events, method == DeliveryMethod.PUSH);
  }

  @Override
  public CompletionStage<List<AppendResult>> appendAsync(
      List<Event> events, DeliveryMethod method) {
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return committer.appendAsync(events, method == DeliveryMethod.PUSH);
  }

  @Override
  public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
    return SqlFailures.withHandle(
        jdbi,
        "find an event",
        handle ->
            handle
                .createQuery(FIND)
                .bind("org", organization.value())
                .bind("id", id.value())
                .map((rs, ctx) -> EventRows.storedEvent(rs))
                .findOne());
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    return SqlFailures.withRetries(
        jdbi,
        "delete an event",
        handle ->
            handle
                    .createQuery(DELETE)
                    .bind("org", organization.value())
                    .bind("id", id.value())
                    .mapTo(Integer.class)
                    .one()
                > 0);
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1");
    }
    return SqlFailures.withRetries(
        jdbi,
        "delete old events",
        handle -> {
          // Leases are taken after the events they hold, so those older than the cutoff hold only
          // events deleted here or before; a later run takes any left over.
          handle
              .createUpdate(LeaseSql.DELETE_CREATED_BEFORE)
              .bind("cutoff", Timestamps.of(cutoff))
              .bind("max", maxEvents)
              .execute();
          return handle
              .createQuery(DELETE_CREATED_BEFORE)
              .bind("cutoff", Timestamps.of(cutoff))
              .bind("maxEvents", maxEvents)
              .mapTo(Integer.class)
              .one();
        });
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryTask;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * The delivery ledger on PostgreSQL. Claims of attempts and their results are each written in
 * batches by a {@link StatementBatcher}: hundreds of webhook workers share two connections and few
 * statements. Within a batch, rows are updated in {@link EventKey#LOCK_ORDER}; a second request for
 * the same event in one batch is answered as the first's loser would be, with nothing.
 */
final class PostgresDeliveryLedger implements DeliveryLedger, AutoCloseable {

  /** A scheduled delivery ({@link Delivery#isScheduled}): what the due index holds. */
  static final String SCHEDULED =
      "delivery_status IN ('pending', 'retrying') AND next_attempt_at IS NOT NULL";

  /**
   * A scheduled delivery, in statements that name their rows by key and compare {@code
   * next_attempt_at} (which no NULL passes): the same rows as {@link #SCHEDULED}, since a status is
   * one of four, but written so that it does not match the due index's predicate. Otherwise the
   * planner, trusting statistics taken while few deliveries were scheduled, may read the whole due
   * index for every batch instead of each row by its key, and a batch costs as much as the backlog
   * is long.
   */
  private static final String STILL_SCHEDULED = "delivery_status NOT IN ('delivered', 'failed')";

  /**
   * {@link Delivery#claimedUntil} of a delivery that {@link Delivery#isDueAt} the claim's time: it
   * only moves the next attempt to the lease's end, so the statement sets that one column. The row
   * lock of the UPDATE makes a claim atomic: a concurrent claim waits, then finds the next attempt
   * moved past its time.
   */
  static final String CLAIM =
      """
      UPDATE events SET next_attempt_at = r_lease::timestamptz
      FROM unnest(:orgIds, :ids, :nows, :leases) AS r(r_org, r_id, r_now, r_lease)
      WHERE org_id = r_org AND id = r_id AND next_attempt_at <= r_now::timestamptz AND\s"""
          + STILL_SCHEDULED
          + " RETURNING "
          + EventRows.COLUMNS;

  /**
   * Writes each claimed delivery's state after its attempt, as {@link Delivery#after} computed it,
   * if the claim still holds: the row is still scheduled with its next attempt at the lease.
   */
  static final String RECORD =
      """
      UPDATE events SET
        delivery_status = r_status,
        attempts = r_attempts,
        last_attempt_at = r_attempted::timestamptz,
        next_attempt_at = r_next::timestamptz,
        last_error = r_error,
        delivered_at = r_delivered::timestamptz
      FROM unnest(:orgIds, :ids, :leases, :statuses, :attempts, :attempted, :nexts, :errors,
                  :delivered)
        AS r(r_org, r_id, r_lease, r_status, r_attempts, r_attempted, r_next, r_error, r_delivered)
      WHERE org_id = r_org AND id = r_id AND next_attempt_at = r_lease::timestamptz AND\s"""
          + STILL_SCHEDULED
          + " RETURNING org_id, id, "
          + EventRows.DELIVERY_COLUMNS;

  /**
   * {@link Delivery#redeliverAt}: pending from zero attempts, keeping the last attempt and error.
   */
  private static final String SCHEDULE_REDELIVERY =
      "UPDATE events SET delivery_status = 'pending', attempts = 0, next_attempt_at = :dueAt,"
          + " delivered_at = NULL WHERE org_id = :org AND id = :id RETURNING "
          + EventRows.DELIVERY_COLUMNS;

  private static final String DUE =
      "SELECT org_id, id, next_attempt_at FROM events WHERE "
          + SCHEDULED
          + " AND next_attempt_at <= :dueBy";

  private static final String DUE_AFTER =
      " AND (next_attempt_at, org_id, id) > (:afterAt, :afterOrg, :afterId)";

  private static final String DUE_ORDER = " ORDER BY next_attempt_at, org_id, id LIMIT :limit";

  private static final int MAX_BATCH = 500;

  /**
   * Has PostgreSQL plan each batch with its own values rather than prepare the statement once. A
   * prepared statement soon gets a generic plan, kept until the table's statistics change; made
   * while the table was small, that plan reads the whole table for every batch, at any size it
   * grows to. Planning a batch costs far less than a single such read.
   */
  private static final StatementCustomizer PLANNED_WITH_ITS_VALUES =
      new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context)
            throws SQLException {
          statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
      };

  private final Jdbi jdbi;
  private final StatementBatcher<Claim, Optional<StoredEvent>> claims;
  private final StatementBatcher<Attempt, Optional<Delivery>> attempts;

  PostgresDeliveryLedger(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.claims =
        new StatementBatcher<>(
            "triggers-delivery-claims",
            jdbi,
            MAX_BATCH,
            "claim deliveries",
            PostgresDeliveryLedger::claim);
    this.attempts =
        new StatementBatcher<>(
            "triggers-delivery-results",
            jdbi,
            MAX_BATCH,
            "record delivery attempts",
            PostgresDeliveryLedger::record);
  }

  @Override
  public Optional<StoredEvent> claim(
      OrganizationId organization, EventId id, Instant now, Instant leaseUntil) {
    return claims.submit(new Claim(new EventKey(organization, id), now, leaseUntil));
  }

  @Override
  public Optional<Delivery> record(
      OrganizationId organization, EventId id, Delivery claimed, AttemptResult result) {
    Instant lease = claimed.nextAttemptAt().orElseThrow();
    return attempts.submit(
        new Attempt(new EventKey(organization, id), lease, claimed.after(result)));
  }

  @Override
  public List<DeliveryTask> due(Instant dueBy, Optional<DeliveryTask> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    String sql = dueSql(after.isPresent());
    return SqlFailures.withHandle(
        jdbi,
        "find due deliveries",
        handle -> {
          Query query =
              handle.createQuery(sql).bind("dueBy", Timestamps.of(dueBy)).bind("limit", limit);
          after.ifPresent(
              task ->
                  query
                      .bind("afterAt", Timestamps.of(task.dueAt()))
                      .bind("afterOrg", task.organization().value())
                      .bind("afterId", task.eventId().value()));
          return query
              .map(
                  (rs, ctx) ->
                      new DeliveryTask(
                          new OrganizationId(rs.getObject("org_id", UUID.class)),
                          new EventId(rs.getObject("id", UUID.class)),
                          Timestamps.read(rs, "next_attempt_at").orElseThrow()))
              .list();
        });
  }

  /** The sweep's statement, for the first page or for the pages after a cursor. */
  static String dueSql(boolean afterCursor) {
    return DUE + (afterCursor ? DUE_AFTER : "") + DUE_ORDER;
  }

  @Override
  public Optional<Delivery> scheduleRedelivery(
      OrganizationId organization, EventId id, Instant dueAt) {
    return SqlFailures.withHandle(
        jdbi,
        "schedule a redelivery",
        handle ->
            handle
                .createQuery(SCHEDULE_REDELIVERY)
                .bind("org", organization.value())
                .bind("id", id.value())
                .bind("dueAt", Timestamps.of(dueAt))
                .map((rs, ctx) -> EventRows.delivery(rs))
                .findOne());
  }

  @Override
  public void close() {
    try {
      claims.close();
    } finally {
      attempts.close();
    }
  }

  static List<Optional<StoredEvent>> claim(Handle handle, List<Claim> requests) {
    List<Claim> rows = EventKey.distinctInLockOrder(requests, Claim::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    String[] nows = new String[n];
    String[] leases = new String[n];
    for (int i = 0; i < n; i++) {
      Claim claim = rows.get(i);
      orgIds[i] = claim.key().organization().value();
      ids[i] = claim.key().id().value();
      nows[i] = text(claim.now());
      leases[i] = text(claim.leaseUntil());
    }
    Map<EventKey, StoredEvent> claimed = new HashMap<>();
    handle
        .createQuery(CLAIM)
        .addCustomizer(PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", orgIds)
        .bind("ids", ids)
        .bind("nows", nows)
        .bind("leases", leases)
        .map((rs, ctx) -> EventRows.storedEvent(rs))
        .forEach(
            stored ->
                claimed.put(
                    new EventKey(stored.event().organizationId(), stored.event().id()), stored));
    return EventKey.answers(requests, Claim::key, claimed);
  }

  private static List<Optional<Delivery>> record(Handle handle, List<Attempt> requests) {
    List<Attempt> rows = EventKey.distinctInLockOrder(requests, Attempt::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    String[] leases = new String[n];
    String[] statuses = new String[n];
    Integer[] attemptCounts = new Integer[n];
    String[] attempted = new String[n];
    String[] nexts = new String[n];
    String[] errors = new String[n];
    String[] delivered = new String[n];
    for (int i = 0; i < n; i++) {
      Attempt attempt = rows.get(i);
      Delivery after = attempt.after();
      orgIds[i] = attempt.key().organization().value();
      ids[i] = attempt.key().id().value();
      leases[i] = text(attempt.leaseUntil());
      statuses[i] = after.status().wireName();
      attemptCounts[i] = after.attempts();
      attempted[i] = after.lastAttemptAt().map(PostgresDeliveryLedger::text).orElse(null);
      nexts[i] = after.nextAttemptAt().map(PostgresDeliveryLedger::text).orElse(null);
      errors[i] = after.lastError().orElse(null);
      delivered[i] = after.deliveredAt().map(PostgresDeliveryLedger::text).orElse(null);
    }
    Map<EventKey, Delivery> recorded = new HashMap<>();
    handle
        .createQuery(RECORD)
        .addCustomizer(PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", orgIds)
        .bind("ids", ids)
        .bind("leases", leases)
        .bind("statuses", statuses)
        .bind("attempts", attemptCounts)
        .bind("attempted", attempted)
        .bind("nexts", nexts)
        .bind("errors", errors)
        .bind("delivered", delivered)
        .map(
            (rs, ctx) ->
                Map.entry(
                    new EventKey(
                        new OrganizationId(rs.getObject("org_id", UUID.class)),
                        new EventId(rs.getObject("id", UUID.class))),
                    EventRows.delivery(rs)))
        .forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
    return EventKey.answers(requests, Attempt::key, recorded);
  }

  private static String text(Instant instant) {
    return Timestamps.of(instant).toString();
  }

  record Claim(EventKey key, Instant now, Instant leaseUntil) {}

  /** A result to record: the delivery {@code after} the attempt, if the claim until then holds. */
  private record Attempt(EventKey key, Instant leaseUntil, Delivery after) {}
}

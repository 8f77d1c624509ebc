package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.EventStore.AttemptResult;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * Claims of delivery attempts and their results, each kind written in batches by a {@link
 * StatementBatcher}: hundreds of webhook workers share two connections and few statements.
 *
 * <p>Within a batch, rows are updated in one order (organization, then id), so that batches running
 * at once on several nodes wait on each other's rows rather than deadlock; a second request for the
 * same event in one batch is answered as the first's loser would be, with nothing.
 */
final class DeliveryWrites implements AutoCloseable {

  /** A scheduled delivery: what the due index holds. */
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
   * The row lock of the UPDATE makes a claim atomic: a concurrent claim waits, then finds the next
   * attempt moved past its time.
   */
  static final String CLAIM =
      """
      UPDATE events SET next_attempt_at = r_lease::timestamptz
      FROM unnest(:orgIds, :ids, :nows, :leases) AS r(r_org, r_id, r_now, r_lease)
      WHERE org_id = r_org AND id = r_id AND next_attempt_at <= r_now::timestamptz AND\s"""
          + STILL_SCHEDULED
          + " RETURNING "
          + EventRows.COLUMNS;

  /** Each result's values; a NULL error keeps the last one, as a delivered attempt does. */
  static final String RECORD =
      """
      UPDATE events SET
        delivery_status = r_status,
        attempts = attempts + r_counted,
        last_attempt_at = coalesce(r_attempted::timestamptz, last_attempt_at),
        next_attempt_at = r_next::timestamptz,
        last_error = coalesce(r_error, last_error),
        delivered_at = r_delivered::timestamptz
      FROM unnest(:orgIds, :ids, :leases, :statuses, :counted, :attempted, :nexts, :errors,
                  :delivered)
        AS r(r_org, r_id, r_lease, r_status, r_counted, r_attempted, r_next, r_error, r_delivered)
      WHERE org_id = r_org AND id = r_id AND next_attempt_at = r_lease::timestamptz AND\s"""
          + STILL_SCHEDULED
          + " RETURNING org_id, id, "
          + EventRows.DELIVERY_COLUMNS;

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

  private final StatementBatcher<Claim, Optional<StoredEvent>> claims;
  private final StatementBatcher<Attempt, Optional<Delivery>> attempts;

  DeliveryWrites(Jdbi jdbi) {
    this.claims =
        new StatementBatcher<>(
            "triggers-delivery-claims", jdbi, MAX_BATCH, "claim deliveries", DeliveryWrites::claim);
    this.attempts =
        new StatementBatcher<>(
            "triggers-delivery-results",
            jdbi,
            MAX_BATCH,
            "record delivery attempts",
            DeliveryWrites::record);
  }

  Optional<StoredEvent> claim(
      OrganizationId organization, EventId id, Instant now, Instant leaseUntil) {
    return claims.submit(new Claim(new Key(organization, id), now, leaseUntil));
  }

  Optional<Delivery> record(
      OrganizationId organization, EventId id, Instant leaseUntil, AttemptResult result) {
    return attempts.submit(new Attempt(new Key(organization, id), leaseUntil, result));
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
    List<Claim> rows = distinctInLockOrder(requests, Claim::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    String[] nows = new String[n];
    String[] leases = new String[n];
    for (int i = 0; i < n; i++) {
      Claim claim = rows.get(i);
      orgIds[i] = claim.key().organization().value();
      ids[i] = claim.key().id().value();
      nows[i] = Timestamps.of(claim.now()).toString();
      leases[i] = Timestamps.of(claim.leaseUntil()).toString();
    }
    Map<Key, StoredEvent> claimed = new HashMap<>();
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
                claimed.put(new Key(stored.event().organizationId(), stored.event().id()), stored));
    return answers(requests, Claim::key, claimed);
  }

  private static List<Optional<Delivery>> record(Handle handle, List<Attempt> requests) {
    List<Attempt> rows = distinctInLockOrder(requests, Attempt::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    String[] leases = new String[n];
    String[] statuses = new String[n];
    Integer[] counted = new Integer[n];
    String[] attempted = new String[n];
    String[] nexts = new String[n];
    String[] errors = new String[n];
    String[] delivered = new String[n];
    for (int i = 0; i < n; i++) {
      Attempt attempt = rows.get(i);
      Row row = Row.of(attempt.result());
      orgIds[i] = attempt.key().organization().value();
      ids[i] = attempt.key().id().value();
      leases[i] = Timestamps.of(attempt.leaseUntil()).toString();
      statuses[i] = row.status().wireName();
      counted[i] = row.counted() ? 1 : 0;
      attempted[i] = text(row.attemptedAt());
      nexts[i] = text(row.nextAttemptAt());
      errors[i] = row.error().orElse(null);
      delivered[i] = text(row.deliveredAt());
    }
    Map<Key, Delivery> recorded = new HashMap<>();
    handle
        .createQuery(RECORD)
        .addCustomizer(PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", orgIds)
        .bind("ids", ids)
        .bind("leases", leases)
        .bind("statuses", statuses)
        .bind("counted", counted)
        .bind("attempted", attempted)
        .bind("nexts", nexts)
        .bind("errors", errors)
        .bind("delivered", delivered)
        .map(
            (rs, ctx) ->
                Map.entry(
                    new Key(
                        new OrganizationId(rs.getObject("org_id", UUID.class)),
                        new EventId(rs.getObject("id", UUID.class))),
                    EventRows.delivery(rs)))
        .forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
    return answers(requests, Attempt::key, recorded);
  }

  private static String text(Optional<Instant> instant) {
    return instant.map(at -> Timestamps.of(at).toString()).orElse(null);
  }

  /** The first request for each event, ordered by organization and then id. */
  private static <R> List<R> distinctInLockOrder(List<R> requests, Function<R, Key> key) {
    Set<Key> seen = new HashSet<>();
    List<R> rows = new ArrayList<>(requests.size());
    for (R request : requests) {
      if (seen.add(key.apply(request))) {
        rows.add(request);
      }
    }
    rows.sort(Comparator.comparing(key, Key.LOCK_ORDER));
    return rows;
  }

  /** Each request's answer in order; a repeated request for an event gets nothing. */
  private static <R, A> List<Optional<A>> answers(
      List<R> requests, Function<R, Key> key, Map<Key, A> results) {
    Set<Key> answered = new HashSet<>();
    List<Optional<A>> answers = new ArrayList<>(requests.size());
    for (R request : requests) {
      Key k = key.apply(request);
      answers.add(answered.add(k) ? Optional.ofNullable(results.get(k)) : Optional.empty());
    }
    return answers;
  }

  record Key(OrganizationId organization, EventId id) {

    static final Comparator<Key> LOCK_ORDER =
        Comparator.comparing((Key k) -> k.organization().value())
            .thenComparing(k -> k.id().value());
  }

  record Claim(Key key, Instant now, Instant leaseUntil) {}

  private record Attempt(Key key, Instant leaseUntil, AttemptResult result) {}

  /** The column values one attempt result writes; empty ones are written as NULL. */
  private record Row(
      DeliveryStatus status,
      boolean counted,
      Optional<Instant> attemptedAt,
      Optional<Instant> nextAttemptAt,
      Optional<String> error,
      Optional<Instant> deliveredAt) {

    static Row of(AttemptResult result) {
      return switch (result) {
        case AttemptResult.Delivered d ->
            new Row(
                DeliveryStatus.DELIVERED,
                true,
                Optional.of(d.attemptedAt()),
                Optional.empty(),
                Optional.empty(),
                Optional.of(d.deliveredAt()));
        case AttemptResult.Retrying r ->
            new Row(
                DeliveryStatus.RETRYING,
                true,
                Optional.of(r.attemptedAt()),
                Optional.of(r.nextAttemptAt()),
                Optional.of(r.error()),
                Optional.empty());
        case AttemptResult.Failed f ->
            new Row(
                DeliveryStatus.FAILED,
                true,
                Optional.of(f.attemptedAt()),
                Optional.empty(),
                Optional.of(f.error()),
                Optional.empty());
        case AttemptResult.Abandoned a ->
            new Row(
                DeliveryStatus.FAILED,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.of(a.reason()),
                Optional.empty());
      };
    }
  }
}

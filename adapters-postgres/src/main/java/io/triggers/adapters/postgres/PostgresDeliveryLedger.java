package io.triggers.adapters.postgres;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
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
 * The delivery ledger on PostgreSQL, over the deliveries table. Claims of attempts and their
 * results are each written in batches by a {@link StatementBatcher}: hundreds of webhook workers
 * share two connections and few statements. Within a batch, rows are updated in {@link
 * DeliveryKey#LOCK_ORDER}; a second request for the same delivery in one batch is answered as the
 * first's loser would be, with nothing. A batch of results also brings its events' summaries up to
 * date ({@link EventSummaries}), in the same transaction.
 */
final class PostgresDeliveryLedger implements DeliveryLedger, AutoCloseable {

  /** What the claim's endpoint columns begin with. */
  private static final String ENDPOINT_PREFIX = "ep_";

  /** A scheduled delivery ({@link Delivery#isScheduled}): what the due index holds. */
  static final String SCHEDULED =
      "status IN ('pending', 'retrying') AND next_attempt_at IS NOT NULL";

  /**
   * A scheduled delivery, in statements that name their rows by key and compare {@code
   * next_attempt_at} (which no NULL passes): the same rows as {@link #SCHEDULED}, since a status is
   * one of four, but written so that it does not match the due index's predicate. Otherwise the
   * planner, trusting statistics taken while few deliveries were scheduled, may read the whole due
   * index for every batch instead of each row by its key, and a batch costs as much as the backlog
   * is long.
   */
  static final String STILL_SCHEDULED = "status NOT IN ('delivered', 'failed', 'held')";

  /**
   * {@link Delivery#claimedUntil} of a delivery that {@link Delivery#isDueAt} the claim's time: it
   * only moves the next attempt to the lease's end, so the statement sets that one column. The row
   * lock of the UPDATE makes a claim atomic: a concurrent claim waits, then finds the next attempt
   * moved past its time. The endpoint is read with the claim (its columns prefixed {@code ep_}, all
   * null when it was deleted), so that an attempt needs no other statement before it sends.
   */
  static final String CLAIM =
      """
      WITH claimed AS (
        UPDATE deliveries SET next_attempt_at = r_lease::timestamptz
        FROM unnest(:orgIds, :ids, :endpointIds, :nows, :leases)
          AS r(r_org, r_id, r_endpoint, r_now, r_lease)
        WHERE org_id = r_org AND event_id = r_id AND endpoint_id = r_endpoint
          AND next_attempt_at <= r_now::timestamptz AND\s"""
          + STILL_SCHEDULED
          + " RETURNING org_id, event_id, endpoint_id, "
          + DeliveryRows.COLUMNS
          + """
          )
          SELECT e.org_id, e.id, e.type, e.payload, e.dedup_id, e.created_at, c.endpoint_id,
            c.status AS delivery_status, c.attempts, c.last_attempt_at, c.next_attempt_at,
            c.last_error, c.delivered_at,\s"""
          + PostgresEndpoints.columns("p", ENDPOINT_PREFIX)
          + """

          FROM claimed c JOIN events e ON e.org_id = c.org_id AND e.id = c.event_id
            LEFT JOIN endpoints p ON p.org_id = c.org_id AND p.id = c.endpoint_id
          """;

  private static final String DUE =
      "SELECT org_id, event_id, endpoint_id, next_attempt_at FROM deliveries WHERE "
          + SCHEDULED
          + " AND next_attempt_at <= :dueBy";

  private static final String DUE_AFTER =
      " AND (next_attempt_at, org_id, event_id, endpoint_id)"
          + " > (:afterAt, :afterOrg, :afterId, :afterEndpoint)";

  private static final String DUE_ORDER =
      " ORDER BY next_attempt_at, org_id, event_id, endpoint_id LIMIT :limit";

  private static final int MAX_BATCH = 500;

  /**
   * Has PostgreSQL plan each batch with its own values rather than prepare the statement once. A
   * prepared statement soon gets a generic plan, kept until the table's statistics change; made
   * while the table was small, that plan reads the whole table for every batch, at any size it
   * grows to. Planning a batch costs far less than a single such read.
   */
  static final StatementCustomizer PLANNED_WITH_ITS_VALUES =
      new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context)
            throws SQLException {
          statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
      };

  private final Jdbi jdbi;
  private final StatementBatcher<Claim, Optional<ClaimedAttempt>> claims;
  private final StatementBatcher<DeliveryResults.Attempt, Optional<Delivery>> attempts;

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
            DeliveryResults::record);
  }

  @Override
  public Optional<ClaimedAttempt> claim(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Instant now,
      Instant leaseUntil) {
    return claims.submit(new Claim(new DeliveryKey(organization, id, endpoint), now, leaseUntil));
  }

  @Override
  public Optional<Delivery> record(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result) {
    Instant lease = claimed.nextAttemptAt().orElseThrow();
    return attempts.submit(
        new DeliveryResults.Attempt(
            new DeliveryKey(organization, id, endpoint),
            lease,
            claimed.after(result),
            DeliveryAttempt.of(endpoint, result)));
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
                      .bind("afterId", task.eventId().value())
                      .bind("afterEndpoint", task.endpointId().value()));
          return query
              .map(
                  (rs, ctx) ->
                      new DeliveryTask(
                          new OrganizationId(rs.getObject("org_id", UUID.class)),
                          new EventId(rs.getObject("event_id", UUID.class)),
                          new EndpointId(rs.getObject("endpoint_id", UUID.class)),
                          Timestamps.read(rs, "next_attempt_at").orElseThrow()))
              .list();
        });
  }

  /** The sweep's statement, for the first page or for the pages after a cursor. */
  static String dueSql(boolean afterCursor) {
    return DUE + (afterCursor ? DUE_AFTER : "") + DUE_ORDER;
  }

  @Override
  public Optional<List<DeliveryTask>> scheduleRedelivery(
      OrganizationId organization, EventId id, Collection<EndpointId> endpoints, Instant dueAt) {
    return SqlFailures.withHandle(
        jdbi,
        "schedule a redelivery",
        handle -> DeliveryRows.scheduleRedelivery(handle, organization, id, endpoints, dueAt));
  }

  @Override
  public List<EndpointDelivery> deliveries(OrganizationId organization, EventId id) {
    return SqlFailures.withHandle(
        jdbi, "read an event's deliveries", handle -> DeliveryRows.list(handle, organization, id));
  }

  @Override
  public int release(OrganizationId organization, EndpointId endpoint, Instant dueAt) {
    return SqlFailures.withHandle(
        jdbi,
        "release held deliveries",
        handle ->
            handle.inTransaction(h -> DeliveryRows.release(h, organization, endpoint, dueAt)));
  }

  @Override
  public int recover(
      OrganizationId organization,
      EndpointId endpoint,
      Instant createdSince,
      Instant dueAt,
      boolean hold) {
    return SqlFailures.withHandle(
        jdbi,
        "recover an endpoint's failed deliveries",
        handle ->
            handle.inTransaction(
                h -> DeliveryRows.recover(h, organization, endpoint, createdSince, dueAt, hold)));
  }

  @Override
  public int endAll(OrganizationId organization, EndpointId endpoint, String reason) {
    return SqlFailures.withHandle(
        jdbi,
        "end an endpoint's deliveries",
        handle ->
            handle.inTransaction(h -> DeliveryRows.endAll(h, organization, endpoint, reason)));
  }

  @Override
  public void close() {
    try {
      claims.close();
    } finally {
      attempts.close();
    }
  }

  static List<Optional<ClaimedAttempt>> claim(Handle handle, List<Claim> requests) {
    List<Claim> rows = DeliveryKey.distinctInLockOrder(requests, Claim::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    UUID[] endpointIds = new UUID[n];
    String[] nows = new String[n];
    String[] leases = new String[n];
    for (int i = 0; i < n; i++) {
      Claim claim = rows.get(i);
      orgIds[i] = claim.key().organization().value();
      ids[i] = claim.key().event().value();
      endpointIds[i] = claim.key().endpoint().value();
      nows[i] = text(claim.now());
      leases[i] = text(claim.leaseUntil());
    }
    Map<DeliveryKey, ClaimedAttempt> claimed = new HashMap<>();
    handle
        .createQuery(CLAIM)
        .addCustomizer(PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", orgIds)
        .bind("ids", ids)
        .bind("endpointIds", endpointIds)
        .bind("nows", nows)
        .bind("leases", leases)
        .map(
            (rs, ctx) ->
                Map.entry(
                    new EndpointId(rs.getObject("endpoint_id", UUID.class)), claimedAttempt(rs)))
        .forEach(
            entry ->
                claimed.put(
                    new DeliveryKey(
                        entry.getValue().stored().event().organizationId(),
                        entry.getValue().stored().event().id(),
                        entry.getKey()),
                    entry.getValue()));
    return DeliveryKey.answers(requests, Claim::key, claimed);
  }

  private static ClaimedAttempt claimedAttempt(ResultSet rs) throws SQLException {
    Optional<Endpoint> endpoint =
        rs.getObject(ENDPOINT_PREFIX + "id") == null
            ? Optional.empty()
            : Optional.of(PostgresEndpoints.endpoint(rs, ENDPOINT_PREFIX));
    return new ClaimedAttempt(EventRows.storedEvent(rs), endpoint);
  }

  static String text(Instant instant) {
    return Timestamps.of(instant).toString();
  }

  record Claim(DeliveryKey key, Instant now, Instant leaseUntil) {}
}

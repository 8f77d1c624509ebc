package io.triggers.adapters.postgres;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryLedger.RecordedAndClaimed;
import io.triggers.core.port.out.DeliveryTask;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * The delivery ledger on PostgreSQL, over the deliveries table. Claims of attempts ({@link
 * DeliveryClaims}) and their results ({@link DeliveryResults}) are each written in batches by a
 * {@link StatementBatcher}: hundreds of webhook workers share three connections and few statements.
 * A result and the claim of the next attempt to its endpoint ({@link #recordAndClaim}) share a
 * batch, so an attempt handed on waits for one commit. Within a batch, rows are updated in {@link
 * DeliveryKey#LOCK_ORDER}; a second request for the same delivery in one batch is answered as the
 * first's loser would be, with nothing. A batch of results also brings its events' summaries up to
 * date ({@link EventSummaries}), in the same transaction.
 */
final class PostgresDeliveryLedger implements DeliveryLedger, AutoCloseable {

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
   * Scheduled deliveries due by {@code :dueBy} and not claimed past it: an attempt under way is not
   * due until its lease ends. A claimed row stays in the due index (its lease is in a column of its
   * own, so that the claim is a HOT update), and the sweep skips it on reading its row.
   */
  private static final String DUE =
      "SELECT org_id, event_id, endpoint_id, next_attempt_at FROM deliveries WHERE "
          + SCHEDULED
          + " AND next_attempt_at <= :dueBy"
          + " AND (claimed_until IS NULL OR claimed_until <= :dueBy)";

  private static final String DUE_AFTER =
      " AND (next_attempt_at, org_id, event_id, endpoint_id)"
          + " > (:afterAt, :afterOrg, :afterId, :afterEndpoint)";

  private static final String DUE_ORDER =
      " ORDER BY next_attempt_at, org_id, event_id, endpoint_id LIMIT :limit";

  private static final int MAX_BATCH = 500;

  /**
   * Result batches written at once, each on a connection of its own: while one batch's statements
   * run in the database, the next is bound and its answers handed back here, and a backlog's drain
   * waits on neither alone. Their transactions lock events in one order and each delivery is
   * recorded by the one worker that claimed it, so two batches never wait for each other in a
   * cycle.
   */
  private static final int RESULT_WRITERS = 2;

  /** How long a result writer that finds the other's batch in flight waits for more results. */
  private static final Duration RESULT_LINGER = Duration.ofMillis(1);

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
  private final StatementBatcher<DeliveryClaims.Claim, Optional<ClaimedAttempt>> claims;
  private final StatementBatcher<DeliveryResults.Attempt, RecordedAndClaimed> attempts;

  PostgresDeliveryLedger(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.claims =
        new StatementBatcher<>(
            "triggers-delivery-claims", jdbi, MAX_BATCH, "claim deliveries", DeliveryClaims::claim);
    this.attempts =
        new StatementBatcher<>(
            StatementBatcher.Settings.<DeliveryResults.Attempt>of(
                    "triggers-delivery-results", MAX_BATCH)
                .withWriters(RESULT_WRITERS)
                .withLinger(RESULT_LINGER),
            jdbi,
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
    return claims.submit(
        new DeliveryClaims.Claim(new DeliveryKey(organization, id, endpoint), now, leaseUntil));
  }

  @Override
  public Optional<Delivery> record(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result) {
    return attempts
        .submit(
            attempt(new DeliveryKey(organization, id, endpoint), claimed, result, Optional.empty()))
        .recorded();
  }

  /** Records the result and claims the next attempt in the same batch, so in one commit. */
  @Override
  public RecordedAndClaimed recordAndClaim(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result,
      EventId next,
      Instant now,
      Instant leaseUntil) {
    DeliveryClaims.Claim nextClaim =
        new DeliveryClaims.Claim(new DeliveryKey(organization, next, endpoint), now, leaseUntil);
    return attempts.submit(
        attempt(
            new DeliveryKey(organization, id, endpoint), claimed, result, Optional.of(nextClaim)));
  }

  private static DeliveryResults.Attempt attempt(
      DeliveryKey key,
      Delivery claimed,
      AttemptResult result,
      Optional<DeliveryClaims.Claim> next) {
    return new DeliveryResults.Attempt(
        key,
        claimed.nextAttemptAt().orElseThrow(),
        claimed.after(result),
        DeliveryAttempt.of(key.endpoint(), result),
        next);
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
}

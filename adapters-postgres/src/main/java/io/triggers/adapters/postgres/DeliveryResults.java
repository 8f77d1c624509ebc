package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger.RecordedAndClaimed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes a batch of attempt results to the deliveries table, each if its claim still holds, logs
 * the attempts of those it wrote and makes the summary of each event whose only delivery it wrote,
 * all in the same statement, brings the summaries of the other events up to date, and claims the
 * next attempts handed on with the results ({@link DeliveryClaims}), all in one transaction: one
 * commit for the whole batch. The transaction locks the batch's events before any of their
 * deliveries, in the order an acknowledgement takes them.
 */
final class DeliveryResults {

  /**
   * Writes each claimed delivery's state after its attempt, as {@link Delivery#after} computed it,
   * if the claim still holds: the row is still scheduled and claimed until the lease (which a
   * result clears, and a redelivery, release or recovery too); and logs the attempt of each row
   * written that made one ({@link DeliveryAttempt#of}), so that an attempt is logged exactly when
   * its result is recorded, without a round trip of its own; and makes each row written that is its
   * event's only delivery the event's summary ({@link EventSummaries#ofLoneDeliveries}), so that
   * such an event is neither read again nor summarized by a statement of its own. Each row says
   * whether its event was summarized so.
   */
  static final String RECORD =
      """
      WITH recorded AS (
      UPDATE deliveries SET
        status = r_status,
        attempts = r_attempts,
        last_attempt_at =\s"""
          + BinaryParameters.timestamp("r_attempted")
          + ", next_attempt_at = "
          + BinaryParameters.timestamp("r_next")
          + ", last_error = r_error, delivered_at = "
          + BinaryParameters.timestamp("r_delivered")
          + """
          , claimed_until = NULL
          FROM unnest(:orgIds::uuid[], :ids::uuid[], :endpointIds::uuid[], :leases, :statuses,
                      :attempts, :attempted, :nexts, :errors, :delivered, :logAt, :logOutcome,
                      :logCode, :logError, :logMillis)
            AS r(r_org, r_id, r_endpoint, r_lease, r_status, r_attempts, r_attempted, r_next,
                 r_error, r_delivered, r_log_at, r_log_outcome, r_log_code, r_log_error,
                 r_log_millis)
          WHERE org_id = r_org AND event_id = r_id AND endpoint_id = r_endpoint
            AND claimed_until =\s"""
          + BinaryParameters.timestamp("r_lease")
          + " AND "
          + PostgresDeliveryLedger.STILL_SCHEDULED
          + " RETURNING org_id, event_id, endpoint_id, "
          + DeliveryColumns.READ
          + """
          , r_log_at, r_log_outcome, r_log_code, r_log_error, r_log_millis),
          logged AS (
            INSERT INTO delivery_attempts (org_id, event_id, endpoint_id, attempted_at, outcome,
                                           status_code, error, duration_ms)
            SELECT org_id, event_id, endpoint_id,\s"""
          + BinaryParameters.timestamp("r_log_at")
          + """
          , r_log_outcome, r_log_code, r_log_error, r_log_millis
            FROM recorded WHERE r_log_at IS NOT NULL),
          """
          + EventSummaries.ofLoneDeliveries("recorded")
          + """
          SELECT org_id, event_id, endpoint_id,\s"""
          // IN rather than a join: PostgreSQL hashes the subquery, and does not know how many
          // rows the CTEs hold, so it would join them by a nested loop, each row of the batch
          // against every other.
          + DeliveryColumns.NAMES
          + """
          , (org_id, event_id) IN (SELECT org_id, id FROM lone) AS summarized
          FROM recorded""";

  private DeliveryResults() {}

  static List<RecordedAndClaimed> record(Handle handle, List<Attempt> requests) {
    return handle.inTransaction(
        transaction -> {
          // The events first, as an acknowledgement locks them: see EventSummaries.lock.
          EventSummaries.lock(transaction, requests.stream().map(Attempt::key).toList());
          List<Optional<Delivery>> recorded = recordResults(transaction, requests);
          List<DeliveryClaims.Claim> nexts =
              requests.stream().flatMap(attempt -> attempt.next().stream()).toList();
          Iterator<Optional<ClaimedAttempt>> claimed =
              (nexts.isEmpty()
                      ? List.<Optional<ClaimedAttempt>>of()
                      : DeliveryClaims.claim(transaction, nexts))
                  .iterator();
          List<RecordedAndClaimed> answers = new ArrayList<>(requests.size());
          for (int i = 0; i < requests.size(); i++) {
            answers.add(
                new RecordedAndClaimed(
                    recorded.get(i),
                    requests.get(i).next().isEmpty() ? Optional.empty() : claimed.next()));
          }
          return answers;
        });
  }

  private static List<Optional<Delivery>> recordResults(Handle handle, List<Attempt> requests) {
    List<Attempt> rows = DeliveryKey.distinctInLockOrder(requests, Attempt::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    UUID[] endpointIds = new UUID[n];
    Long[] leases = new Long[n];
    String[] statuses = new String[n];
    Integer[] attemptCounts = new Integer[n];
    Long[] attempted = new Long[n];
    Long[] nexts = new Long[n];
    String[] errors = new String[n];
    Long[] delivered = new Long[n];
    AttemptColumns log = new AttemptColumns(n);
    for (int i = 0; i < n; i++) {
      Attempt attempt = rows.get(i);
      Delivery after = attempt.after();
      orgIds[i] = attempt.key().organization().value();
      ids[i] = attempt.key().event().value();
      endpointIds[i] = attempt.key().endpoint().value();
      leases[i] = BinaryParameters.micros(attempt.leaseUntil());
      statuses[i] = after.status().wireName();
      attemptCounts[i] = after.attempts();
      attempted[i] = BinaryParameters.micros(after.lastAttemptAt());
      nexts[i] = BinaryParameters.micros(after.nextAttemptAt());
      errors[i] = after.lastError().orElse(null);
      delivered[i] = BinaryParameters.micros(after.deliveredAt());
      log.set(i, attempt.logged());
    }
    Map<DeliveryKey, Delivery> recorded = new HashMap<>();
    List<DeliveryKey> unsummarized = new ArrayList<>();
    handle
        .createQuery(RECORD)
        .addCustomizer(PostgresDeliveryLedger.PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", BinaryParameters.ids(orgIds))
        .bind("ids", BinaryParameters.ids(ids))
        .bind("endpointIds", BinaryParameters.ids(endpointIds))
        .bind("leases", BinaryParameters.instants(leases))
        .bind("statuses", BinaryParameters.texts(statuses))
        .bind("attempts", BinaryParameters.numbers(attemptCounts))
        .bind("attempted", BinaryParameters.instants(attempted))
        .bind("nexts", BinaryParameters.instants(nexts))
        .bind("errors", BinaryParameters.texts(errors))
        .bind("delivered", BinaryParameters.instants(delivered))
        .bind("logAt", BinaryParameters.instants(log.at))
        .bind("logOutcome", BinaryParameters.texts(log.outcome))
        .bind("logCode", BinaryParameters.numbers(log.code))
        .bind("logError", BinaryParameters.texts(log.error))
        .bind("logMillis", BinaryParameters.numbers(log.millis))
        .map(
            (rs, ctx) -> {
              DeliveryKey key =
                  new DeliveryKey(
                      new OrganizationId(rs.getObject("org_id", UUID.class)),
                      new EventId(rs.getObject("event_id", UUID.class)),
                      new EndpointId(rs.getObject("endpoint_id", UUID.class)));
              if (!rs.getBoolean("summarized")) {
                unsummarized.add(key);
              }
              return Map.entry(key, DeliveryRows.delivery(rs));
            })
        .forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
    EventSummaries.refreshLocked(handle, unsummarized);
    return DeliveryKey.answers(requests, Attempt::key, recorded);
  }

  /**
   * A result to record: the delivery {@code after} the attempt, if the claim until then holds, the
   * attempt to log with it, if one was made, and the next attempt to claim with it, if any.
   */
  record Attempt(
      DeliveryKey key,
      Instant leaseUntil,
      Delivery after,
      Optional<DeliveryAttempt> logged,
      Optional<DeliveryClaims.Claim> next) {}

  /** The columns of the attempts to log, one entry per row of the batch, null where none. */
  private static final class AttemptColumns {
    final Long[] at;
    final String[] outcome;
    final Integer[] code;
    final String[] error;
    final Long[] millis;

    AttemptColumns(int n) {
      at = new Long[n];
      outcome = new String[n];
      code = new Integer[n];
      error = new String[n];
      millis = new Long[n];
    }

    void set(int i, Optional<DeliveryAttempt> logged) {
      logged.ifPresent(
          attempt -> {
            at[i] = BinaryParameters.micros(attempt.attemptedAt());
            outcome[i] = attempt.outcome().wireName();
            code[i] = attempt.statusCode().orElse(null);
            error[i] = attempt.error().orElse(null);
            millis[i] = attempt.duration().toMillis();
          });
    }
  }
}

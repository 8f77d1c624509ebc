package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes a batch of attempt results to the deliveries table, each if its claim still holds, and
 * brings the summaries of their events up to date in the same transaction.
 */
final class DeliveryResults {

  /**
   * Writes each claimed delivery's state after its attempt, as {@link Delivery#after} computed it,
   * if the claim still holds: the row is still scheduled with its next attempt at the lease.
   */
  static final String RECORD =
      """
      UPDATE deliveries SET
        status = r_status,
        attempts = r_attempts,
        last_attempt_at = r_attempted::timestamptz,
        next_attempt_at = r_next::timestamptz,
        last_error = r_error,
        delivered_at = r_delivered::timestamptz
      FROM unnest(:orgIds, :ids, :endpointIds, :leases, :statuses, :attempts, :attempted, :nexts,
                  :errors, :delivered)
        AS r(r_org, r_id, r_endpoint, r_lease, r_status, r_attempts, r_attempted, r_next, r_error,
             r_delivered)
      WHERE org_id = r_org AND event_id = r_id AND endpoint_id = r_endpoint
        AND next_attempt_at = r_lease::timestamptz AND\s"""
          + PostgresDeliveryLedger.STILL_SCHEDULED
          + " RETURNING org_id, event_id, endpoint_id, "
          + DeliveryRows.COLUMNS;

  private DeliveryResults() {}

  static List<Optional<Delivery>> record(Handle handle, List<Attempt> requests) {
    List<Attempt> rows = DeliveryKey.distinctInLockOrder(requests, Attempt::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    UUID[] endpointIds = new UUID[n];
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
      ids[i] = attempt.key().event().value();
      endpointIds[i] = attempt.key().endpoint().value();
      leases[i] = PostgresDeliveryLedger.text(attempt.leaseUntil());
      statuses[i] = after.status().wireName();
      attemptCounts[i] = after.attempts();
      attempted[i] = after.lastAttemptAt().map(PostgresDeliveryLedger::text).orElse(null);
      nexts[i] = after.nextAttemptAt().map(PostgresDeliveryLedger::text).orElse(null);
      errors[i] = after.lastError().orElse(null);
      delivered[i] = after.deliveredAt().map(PostgresDeliveryLedger::text).orElse(null);
    }
    Map<DeliveryKey, Delivery> recorded = new HashMap<>();
    handle
        .createQuery(RECORD)
        .addCustomizer(PostgresDeliveryLedger.PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", orgIds)
        .bind("ids", ids)
        .bind("endpointIds", endpointIds)
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
                    new DeliveryKey(
                        new OrganizationId(rs.getObject("org_id", UUID.class)),
                        new EventId(rs.getObject("event_id", UUID.class)),
                        new EndpointId(rs.getObject("endpoint_id", UUID.class))),
                    DeliveryRows.delivery(rs)))
        .forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
    EventSummaries.refresh(handle, recorded.keySet());
    return DeliveryKey.answers(requests, Attempt::key, recorded);
  }

  /** A result to record: the delivery {@code after} the attempt, if the claim until then holds. */
  record Attempt(DeliveryKey key, Instant leaseUntil, Delivery after) {}
}

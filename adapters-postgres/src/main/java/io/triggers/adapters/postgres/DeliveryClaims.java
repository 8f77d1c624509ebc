package io.triggers.adapters.postgres;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.port.out.ClaimedAttempt;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The claims of webhook attempts, a batch of them in one statement: each due delivery gets its
 * claim's lease, and the claimed rows come back with their events and endpoints.
 */
final class DeliveryClaims {

  /** What the claim's endpoint columns begin with. */
  private static final String ENDPOINT_PREFIX = "ep_";

  /**
   * {@link Delivery#claimedUntil} of a delivery that {@link Delivery#isDueAt} the claim's time, and
   * is not claimed past it: the lease's end goes in {@code claimed_until}, the one column the
   * statement sets, which no index reads, so that the update is HOT (no index entry written, the
   * row's new version on its page). The row lock of the UPDATE makes a claim atomic: a concurrent
   * claim waits, then finds the lease past its time. The endpoint is read with the claim (its
   * columns prefixed {@code ep_}, all null when it was deleted), so that an attempt needs no other
   * statement before it sends.
   */
  static final String CLAIM =
      """
      WITH claimed AS (
        UPDATE deliveries SET claimed_until = r_lease
        FROM (SELECT r_org, r_id, r_endpoint,\s"""
          + BinaryParameters.timestamp("r_now")
          + " AS r_now, "
          + BinaryParameters.timestamp("r_lease")
          + """
           AS r_lease
          FROM unnest(:orgIds::uuid[], :ids::uuid[], :endpointIds::uuid[], :nows, :leases)
            AS r(r_org, r_id, r_endpoint, r_now, r_lease)) r
        WHERE org_id = r_org AND event_id = r_id AND endpoint_id = r_endpoint
          AND next_attempt_at <= r_now
          AND (claimed_until IS NULL OR claimed_until <= r_now) AND\s"""
          + PostgresDeliveryLedger.STILL_SCHEDULED
          + " RETURNING org_id, event_id, endpoint_id, "
          + DeliveryColumns.READ
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

  static List<Optional<ClaimedAttempt>> claim(Handle handle, List<Claim> requests) {
    List<Claim> rows = DeliveryKey.distinctInLockOrder(requests, Claim::key);
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    UUID[] endpointIds = new UUID[n];
    Long[] nows = new Long[n];
    Long[] leases = new Long[n];
    for (int i = 0; i < n; i++) {
      Claim claim = rows.get(i);
      orgIds[i] = claim.key().organization().value();
      ids[i] = claim.key().event().value();
      endpointIds[i] = claim.key().endpoint().value();
      nows[i] = BinaryParameters.micros(claim.now());
      leases[i] = BinaryParameters.micros(claim.leaseUntil());
    }
    Map<DeliveryKey, ClaimedAttempt> claimed = new HashMap<>();
    handle
        .createQuery(CLAIM)
        .addCustomizer(PostgresDeliveryLedger.PLANNED_WITH_ITS_VALUES)
        .bind("orgIds", BinaryParameters.ids(orgIds))
        .bind("ids", BinaryParameters.ids(ids))
        .bind("endpointIds", BinaryParameters.ids(endpointIds))
        .bind("nows", BinaryParameters.instants(nows))
        .bind("leases", BinaryParameters.instants(leases))
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

  /** One attempt to claim: the delivery, the time it must be due by, and the lease's end. */
  record Claim(DeliveryKey key, Instant now, Instant leaseUntil) {}

  private DeliveryClaims() {}
}

package io.triggers.adapters.postgres;

/**
 * The statements of the inbox leases. Each is one statement, so each is atomic on its own; the
 * conditions restate {@link io.triggers.core.model.InboxState}'s: dead is {@code lease_count >=
 * :max} and not waiting for {@code leasable_at}; held is taken last by the lease and not dead.
 */
final class LeaseSql {

  static final String DEAD =
      "(lease_count >= :max AND (leasable_at IS NULL OR leasable_at <= :now))";

  /** The condition {@link PostgresInbox.InboxSql} adds to list only the dead events. */
  static final String DEAD_IN_INBOX =
      "lease_count > 0 AND delivery_status <> 'delivered' AND " + DEAD;

  private static final String HELD =
      "lease_id = :lease AND delivery_status <> 'delivered' AND NOT " + DEAD;

  /**
   * Takes the oldest leasable rows, skipping those a concurrent lease has locked, so that two
   * leases never take the same event; records the lease only when it took something. The conditions
   * on {@code delivery_status} and {@code lease_count >= 0} are the leasable index's own, so that
   * the index serves this statement and only this one.
   */
  static String lease(boolean ofOneType) {
    return """
        WITH picked AS (
          SELECT org_id, id FROM events
          WHERE org_id = :org AND delivery_status <> 'delivered' AND lease_count >= 0
            AND lease_count < :max
            AND (leasable_at IS NULL OR leasable_at <= :now)%s
          ORDER BY created_at, id
          LIMIT :limit
          FOR UPDATE SKIP LOCKED
        ), leased AS (
          UPDATE events e SET lease_id = :lease, lease_count = e.lease_count + 1,
            leasable_at = :until
          FROM picked WHERE e.org_id = picked.org_id AND e.id = picked.id
          RETURNING e.id, e.type, e.payload, e.dedup_id, e.created_at, e.lease_count
        ), recorded AS (
          INSERT INTO inbox_leases (org_id, id, created_at, leased_until, event_ids)
          SELECT :org, :lease, :now, :until, array_agg(id ORDER BY created_at, id) FROM leased
          HAVING count(*) > 0
        )
        SELECT id, type, payload, dedup_id, created_at, lease_count FROM leased
        ORDER BY created_at, id
        """
        .formatted(ofOneType ? " AND type = :type" : "");
  }

  /** The lease's events, as a condition on the events table. */
  private static final String OF_THE_LEASE = "id = ANY((SELECT event_ids FROM lease)::uuid[])";

  /**
   * Acknowledges the chosen events of the lease that no other lease took since, as {@link
   * PostgresInbox#acknowledgeAll} does, its deliveries too, once {@link PostgresInbox#locked} them;
   * answers what the lease took (null if there is no such lease) and what was acknowledged.
   */
  static final String ACKNOWLEDGE =
      """
      WITH lease AS (
        SELECT event_ids FROM inbox_leases WHERE org_id = :org AND id = :lease
      ),
      """
          + PostgresInbox.locked(
              OF_THE_LEASE
                  + " AND (:all OR id = ANY(:ids)) AND (lease_id IS NULL OR lease_id = :lease)")
          + """
      , acknowledged AS (
        UPDATE events SET
      """
          + PostgresInbox.EVENT_DELIVERED
          + """
          FROM locked WHERE events.org_id = :org AND events.id = locked.id
          RETURNING events.id
        ), ended AS (
          UPDATE deliveries SET
        """
          + PostgresInbox.DELIVERIES_DELIVERED
          + """
          WHERE org_id = :org AND event_id IN (SELECT id FROM acknowledged)
            AND status <> 'delivered'
        )
        SELECT (SELECT event_ids FROM lease) AS took, ARRAY(SELECT id FROM acknowledged) AS changed
        """;

  /**
   * Holds what the lease still holds until {@code :until}, once {@link PostgresInbox#locked} it;
   * answers what it took and holds.
   */
  static final String EXTEND =
      """
      WITH lease AS (
        UPDATE inbox_leases SET leased_until = :until WHERE org_id = :org AND id = :lease
        RETURNING event_ids
      ),
      """
          + PostgresInbox.locked(OF_THE_LEASE + " AND " + HELD)
          + """
      , held AS (
        UPDATE events SET leasable_at = :until
        FROM locked WHERE events.org_id = :org AND events.id = locked.id
        RETURNING events.id, events.created_at
      )
      SELECT (SELECT event_ids FROM lease) AS took,
        ARRAY(SELECT id FROM held ORDER BY created_at, id) AS changed
      """;

  /**
   * Lets go of what the lease still holds of the chosen events, once {@link PostgresInbox#locked}
   * them: leasable at {@code :availableAt}, or dead at once on their last lease.
   */
  static final String RELEASE =
      """
      WITH lease AS (
        SELECT event_ids FROM inbox_leases WHERE org_id = :org AND id = :lease
      ),
      """
          + PostgresInbox.locked(OF_THE_LEASE + " AND (:all OR id = ANY(:ids)) AND " + HELD)
          + """
      , released AS (
        UPDATE events SET lease_id = NULL,
          leasable_at = CASE WHEN lease_count >= :max THEN CAST(:now AS timestamptz)
            ELSE CAST(:availableAt AS timestamptz) END
        FROM locked WHERE events.org_id = :org AND events.id = locked.id
        RETURNING events.id, events.created_at
      )
      SELECT (SELECT event_ids FROM lease) AS took,
        ARRAY(SELECT id FROM released ORDER BY created_at, id) AS changed
      """;

  /**
   * Puts acknowledged or delivered events back in the inbox as {@link
   * io.triggers.core.model.Delivery#reopened} does, with a fresh lease state, once {@link
   * PostgresInbox#locked} them.
   */
  static final String SEEK =
      "WITH "
          + PostgresInbox.locked("created_at >= :from AND delivery_status = 'delivered'")
          + """
      UPDATE events SET delivery_status = 'pending', attempts = 0, next_attempt_at = NULL,
        delivered_at = NULL, lease_id = NULL, lease_count = 0, leasable_at = NULL
      FROM locked WHERE events.org_id = :org AND events.id = locked.id
      """;

  static final String REVIVE =
      """
      UPDATE events SET lease_id = NULL, lease_count = 0, leasable_at = NULL
      WHERE org_id = :org AND id = :id AND delivery_status <> 'delivered' AND %s
      """
          .formatted(DEAD);

  static final String STATE =
      "SELECT lease_id, lease_count, leasable_at FROM events WHERE org_id = :org AND id = :id";

  /** Retention: leases taken before the cutoff, whose events are gone or soon will be. */
  static final String DELETE_CREATED_BEFORE =
      """
      DELETE FROM inbox_leases WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM inbox_leases WHERE created_at < :cutoff LIMIT :max))
      """;

  private LeaseSql() {}
}

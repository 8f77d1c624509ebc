package io.triggers.adapters.postgres;

import java.util.Collection;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Keeps each event's own delivery columns the summary of its deliveries: those of the least
 * advanced one, as {@link io.triggers.core.model.Delivery#leastAdvanced} orders them (ties go to
 * the lowest endpoint id). The inbox lists and filters events by that summary.
 */
final class EventSummaries {

  /** {@link io.triggers.core.model.Delivery#leastAdvanced}'s order, least advanced first. */
  static final String PROGRESS = "ARRAY['pending', 'held', 'retrying', 'failed', 'delivered']";

  private static final String REFRESH =
      "UPDATE events e SET "
          + summaryOf("s")
          + " FROM (SELECT DISTINCT ON (d.org_id, d.event_id) d.org_id, d.event_id, d.status,"
          + " d.attempts, d.last_attempt_at, "
          // As DeliveryRows reads it: a claimed sibling's next attempt is its lease's end.
          + DeliveryColumns.nextAttempt("d.")
          + """
           AS next_attempt_at, d.last_error, d.delivered_at
        FROM deliveries d
        JOIN unnest(:orgIds::uuid[], :ids::uuid[]) AS k(org_id, id)
          ON d.org_id = k.org_id AND d.event_id = k.id
        ORDER BY d.org_id, d.event_id, array_position("""
          + PROGRESS
          + """
          , d.status), d.endpoint_id
      ) s
      WHERE e.org_id = s.org_id AND e.id = s.event_id
      """;

  /**
   * A data-modifying CTE, {@code lone}, that makes the summary of each event whose only delivery is
   * a row of the CTE {@code rows} (its key and {@link DeliveryColumns#READ}, as just written) that
   * row itself, and returns the events' keys. An event with other deliveries is left alone, for
   * {@link #refreshLocked}. The events must be locked already, as for a refresh: the other
   * deliveries are then looked for by the statement whose snapshot comes after any change to them
   * committed by a transaction that summarized the event before.
   */
  static String ofLoneDeliveries(String rows) {
    return """
        lone AS (
          UPDATE events e SET %s
          FROM %s r
          WHERE e.org_id = r.org_id AND e.id = r.event_id
            AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.org_id = r.org_id
                              AND o.event_id = r.event_id AND o.endpoint_id <> r.endpoint_id)
          RETURNING e.org_id, e.id)
        """
        .formatted(summaryOf("r"), rows);
  }

  /** The assignments that make an event's summary the delivery state of the row {@code alias}. */
  private static String summaryOf(String alias) {
    return """
        delivery_status = %1$s.status, attempts = %1$s.attempts,
        last_attempt_at = %1$s.last_attempt_at, next_attempt_at = %1$s.next_attempt_at,
        last_error = %1$s.last_error, delivered_at = %1$s.delivered_at
        """
        .formatted(alias);
  }

  /** Locks the events whose summaries are about to be computed, in one order for every caller. */
  private static final String LOCK =
      """
      SELECT 1 FROM events e JOIN unnest(:orgIds::uuid[], :ids::uuid[]) AS k(org_id, id)
        ON e.org_id = k.org_id AND e.id = k.id
      ORDER BY e.org_id, e.id
      FOR UPDATE OF e
      """;

  private EventSummaries() {}

  /**
   * Locks the deliveries' events, in one order for every caller, in the handle's transaction. A
   * transaction that locks them before it changes their deliveries takes its locks in the order an
   * acknowledgement does (the event, then its deliveries), so the two never wait for each other in
   * a cycle.
   */
  static void lock(Handle handle, Collection<DeliveryKey> changed) {
    if (!changed.isEmpty()) {
      handle
          .createQuery(LOCK)
          .bind("orgIds", BinaryParameters.ids(organizations(changed)))
          .bind("ids", BinaryParameters.ids(events(changed)))
          .mapTo(Integer.class)
          .list();
    }
  }

  /**
   * Brings the summaries of the deliveries' events up to date, in the handle's transaction, once it
   * has {@link #lock locked} the events.
   *
   * <p>The lock is a statement of its own. Two transactions that change deliveries of one event
   * (two nodes recording results to two endpoints, say) would otherwise each compute the summary
   * from a snapshot without the other's change, and the one that commits last would keep a stale
   * summary: computed after the lock, by a statement whose snapshot comes after the other's commit,
   * the summary sees both.
   */
  static void refreshLocked(Handle handle, Collection<DeliveryKey> changed) {
    if (!changed.isEmpty()) {
      handle
          .createUpdate(REFRESH)
          .bind("orgIds", BinaryParameters.ids(organizations(changed)))
          .bind("ids", BinaryParameters.ids(events(changed)))
          .execute();
    }
  }

  private static UUID[] organizations(Collection<DeliveryKey> keys) {
    return keys.stream().map(k -> k.organization().value()).toArray(UUID[]::new);
  }

  private static UUID[] events(Collection<DeliveryKey> keys) {
    return keys.stream().map(k -> k.event().value()).toArray(UUID[]::new);
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryTask;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Rows of the deliveries table: reading an event's, mapping one, redelivering, and changing an
 * endpoint's. Each change locks the events of the deliveries it changes before the deliveries
 * themselves, in the order an acknowledgement and a batch of results take them.
 */
final class DeliveryRows {

  /**
   * The next attempt of a delivery rescheduled at {@code :dueAt}: not before the lease of a claim
   * still under way ends, so that the attempt under way and the rescheduled one are never made at
   * once; the lease is cleared in the same update, so that the result of the attempt under way is
   * no longer recorded, as the claim no longer holds.
   */
  private static final String RESCHEDULED = "GREATEST(CAST(:dueAt AS timestamptz), claimed_until)";

  /**
   * {@link Delivery#redeliverAt} of the event's deliveries to the endpoints, a new one where it had
   * none: pending from zero attempts, keeping the last attempt and error; only for an event that
   * exists.
   */
  private static final String SCHEDULE_REDELIVERY =
      """
      INSERT INTO deliveries (org_id, event_id, endpoint_id, status, attempts, next_attempt_at)
      SELECT e.org_id, e.id, endpoint_id, 'pending', 0, :dueAt
      FROM events e, unnest(:endpointIds) AS endpoint_id
      WHERE e.org_id = :org AND e.id = :id
      ON CONFLICT (org_id, event_id, endpoint_id) DO UPDATE
        SET status = 'pending', attempts = 0,
            next_attempt_at = GREATEST(excluded.next_attempt_at, deliveries.claimed_until),
            claimed_until = NULL, delivered_at = NULL
      RETURNING endpoint_id, next_attempt_at
      """;

  /**
   * Locks the event, if it exists, before any of its deliveries: see {@link EventSummaries#lock}.
   */
  private static final String LOCK_EVENT =
      "SELECT 1 FROM events WHERE org_id = :org AND id = :id FOR UPDATE";

  private static final String DELIVERIES =
      "SELECT endpoint_id, "
          + DeliveryColumns.READ
          + " FROM deliveries WHERE org_id = :org AND event_id = :id ORDER BY endpoint_id";

  /**
   * Locks, in id order, the events of the endpoint's deliveries that the condition ({@code %s})
   * selects, before any of those deliveries, in the order an acknowledgement takes them (see {@link
   * EventSummaries#lock}), and answers their ids; the change that follows is confined to them.
   */
  private static final String LOCK_EVENTS =
      """
      SELECT e.id FROM events e JOIN deliveries d ON d.org_id = e.org_id AND d.event_id = e.id
      WHERE d.org_id = :org AND d.endpoint_id = :endpoint AND %s
      ORDER BY e.org_id, e.id
      FOR UPDATE OF e
      """;

  /** The deliveries {@link #RELEASE} changes: held. */
  private static final String HELD = "d.status = 'held'";

  /** Locks the events of the endpoint's held deliveries. */
  private static final String LOCK_TO_RELEASE = LOCK_EVENTS.formatted(HELD);

  /**
   * {@link Delivery#releasedAt} of the endpoint's held deliveries: pending from zero attempts if
   * none was made, retrying otherwise, due at {@code :dueAt}.
   */
  private static final String RELEASE =
      "UPDATE deliveries d SET"
          + " status = CASE WHEN attempts = 0 OR last_error IS NULL"
          + " THEN 'pending' ELSE 'retrying' END,"
          + " attempts = CASE WHEN attempts = 0 OR last_error IS NULL THEN 0 ELSE attempts END,"
          + " next_attempt_at = "
          + RESCHEDULED
          + ", claimed_until = NULL"
          + " WHERE d.org_id = :org AND d.endpoint_id = :endpoint AND d.event_id = ANY(:events)"
          + " AND "
          + HELD
          + " RETURNING d.event_id";

  /** The deliveries {@link #RECOVER} changes: failed. */
  private static final String FAILED = "d.status = 'failed'";

  /**
   * Locks the events created since {@code :since} of the endpoint's failed deliveries; the failed
   * index finds the endpoint's failed rows, and each event by its key.
   */
  static final String LOCK_TO_RECOVER =
      LOCK_EVENTS.formatted(FAILED + " AND e.created_at >= :since");

  /**
   * {@link Delivery#recoveredAt} of the endpoint's failed deliveries of the events {@link
   * #LOCK_TO_RECOVER} locked: pending from zero attempts, due at {@code :dueAt}, or held; the last
   * attempt and error stay.
   */
  static final String RECOVER =
      "UPDATE deliveries d SET status = CASE WHEN :hold THEN 'held' ELSE 'pending' END,"
          + " attempts = 0,"
          + " next_attempt_at = CASE WHEN :hold THEN NULL ELSE "
          + RESCHEDULED
          + " END, claimed_until = CASE WHEN :hold THEN claimed_until END"
          + " WHERE d.org_id = :org AND d.endpoint_id = :endpoint AND d.event_id = ANY(:events)"
          + " AND "
          + FAILED
          + " RETURNING d.event_id";

  /** The deliveries {@link #END_ALL} changes: those not yet made. */
  private static final String NOT_MADE = "d.status IN ('pending', 'retrying', 'held')";

  /** Locks the events of the endpoint's deliveries not yet made. */
  private static final String LOCK_TO_END = LOCK_EVENTS.formatted(NOT_MADE);

  /** {@link Delivery#ended} of the endpoint's deliveries not yet made. */
  private static final String END_ALL =
      """
      UPDATE deliveries d SET status = 'failed', next_attempt_at = NULL, last_error = :reason
      WHERE d.org_id = :org AND d.endpoint_id = :endpoint AND d.event_id = ANY(:events) AND\s"""
          + NOT_MADE
          + " RETURNING d.event_id";

  private DeliveryRows() {}

  /** Releases the endpoint's held deliveries, with their events' summaries; returns how many. */
  static int release(Handle handle, OrganizationId organization, EndpointId endpoint, Instant at) {
    return changeAll(
        handle,
        organization,
        endpoint,
        LOCK_TO_RELEASE,
        Map.of(),
        RELEASE,
        Map.of("dueAt", Timestamps.of(at)));
  }

  /** Recovers the endpoint's failed deliveries, with their events' summaries; returns how many. */
  static int recover(
      Handle handle,
      OrganizationId organization,
      EndpointId endpoint,
      Instant since,
      Instant dueAt,
      boolean hold) {
    return changeAll(
        handle,
        organization,
        endpoint,
        LOCK_TO_RECOVER,
        Map.of("since", Timestamps.of(since)),
        RECOVER,
        Map.of("dueAt", Timestamps.of(dueAt), "hold", hold));
  }

  /**
   * Ends the endpoint's deliveries not yet made, with their events' summaries; returns how many.
   */
  static int endAll(
      Handle handle, OrganizationId organization, EndpointId endpoint, String reason) {
    return changeAll(
        handle, organization, endpoint, LOCK_TO_END, Map.of(), END_ALL, Map.of("reason", reason));
  }

  /**
   * Locks the events of the endpoint's deliveries that {@code lock} selects, then makes the {@code
   * change} to those deliveries of theirs that still qualify, and brings the events' summaries up
   * to date: the events before their deliveries, so that an acknowledgement of one of them and this
   * change never wait for each other in a cycle.
   */
  private static int changeAll(
      Handle handle,
      OrganizationId organization,
      EndpointId endpoint,
      String lock,
      Map<String, Object> lockValues,
      String change,
      Map<String, Object> changeValues) {
    UUID[] events =
        handle
            .createQuery(lock)
            .bind("org", organization.value())
            .bind("endpoint", endpoint.value())
            .bindMap(lockValues)
            .mapTo(UUID.class)
            .list()
            .toArray(UUID[]::new);
    if (events.length == 0) {
      return 0;
    }
    List<DeliveryKey> changed =
        handle
            .createQuery(change)
            .bind("org", organization.value())
            .bind("endpoint", endpoint.value())
            .bind("events", events)
            .bindMap(changeValues)
            .map(
                (rs, ctx) ->
                    new DeliveryKey(
                        organization, new EventId(rs.getObject("event_id", UUID.class)), endpoint))
            .list();
    EventSummaries.refreshLocked(handle, changed);
    return changed.size();
  }

  /** A row of the deliveries table as the delivery it holds. */
  static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(
        DeliveryStatus.parse(rs.getString("status")),
        rs.getInt("attempts"),
        Timestamps.read(rs, "last_attempt_at"),
        Timestamps.read(rs, "next_attempt_at"),
        Optional.ofNullable(rs.getString("last_error")),
        Timestamps.read(rs, "delivered_at"));
  }

  /**
   * {@link Delivery#redeliverAt} of the event's deliveries to the endpoints, in one transaction,
   * with the event's summary; empty if there is no such event. The event is locked first, as an
   * acknowledgement locks it.
   */
  static Optional<List<DeliveryTask>> scheduleRedelivery(
      Handle handle,
      OrganizationId organization,
      EventId id,
      Collection<EndpointId> endpoints,
      Instant dueAt) {
    UUID[] endpointIds = endpoints.stream().map(EndpointId::value).toArray(UUID[]::new);
    return handle.inTransaction(
        h -> {
          boolean exists =
              h.createQuery(LOCK_EVENT)
                  .bind("org", organization.value())
                  .bind("id", id.value())
                  .mapTo(Integer.class)
                  .findOne()
                  .isPresent();
          if (!exists) {
            return Optional.<List<DeliveryTask>>empty();
          }
          List<DeliveryTask> tasks =
              h.createQuery(SCHEDULE_REDELIVERY)
                  .bind("org", organization.value())
                  .bind("id", id.value())
                  .bind("endpointIds", endpointIds)
                  .bind("dueAt", Timestamps.of(dueAt))
                  .map(
                      (rs, ctx) ->
                          new DeliveryTask(
                              organization,
                              id,
                              new EndpointId(rs.getObject("endpoint_id", UUID.class)),
                              Timestamps.read(rs, "next_attempt_at").orElseThrow()))
                  .list();
          EventSummaries.refreshLocked(
              h,
              tasks.stream()
                  .map(task -> new DeliveryKey(organization, id, task.endpointId()))
                  .toList());
          return Optional.of(tasks);
        });
  }

  /** The event's deliveries, by endpoint id. */
  static List<EndpointDelivery> list(Handle handle, OrganizationId organization, EventId id) {
    return handle
        .createQuery(DELIVERIES)
        .bind("org", organization.value())
        .bind("id", id.value())
        .map(
            (rs, ctx) ->
                new EndpointDelivery(
                    new EndpointId(rs.getObject("endpoint_id", UUID.class)), delivery(rs)))
        .list();
  }
}

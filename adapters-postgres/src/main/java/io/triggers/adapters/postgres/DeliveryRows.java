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
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Rows of the deliveries table: reading an event's, mapping one, and redelivering. */
final class DeliveryRows {

  /** The columns of a delivery's state, as {@link #delivery} reads them. */
  static final String COLUMNS =
      "status, attempts, last_attempt_at, next_attempt_at, last_error, delivered_at";

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
        SET status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
            delivered_at = NULL
      RETURNING endpoint_id
      """;

  private static final String EVENT_EXISTS =
      "SELECT count(*) FROM events WHERE org_id = :org AND id = :id";

  private static final String DELIVERIES =
      "SELECT endpoint_id, "
          + COLUMNS
          + " FROM deliveries WHERE org_id = :org AND event_id = :id ORDER BY endpoint_id";

  /**
   * {@link Delivery#releasedAt} of the endpoint's held deliveries: pending from zero attempts if
   * none was made, retrying otherwise, due at {@code :dueAt}.
   */
  private static final String RELEASE =
      """
      UPDATE deliveries SET
        status = CASE WHEN attempts = 0 OR last_error IS NULL THEN 'pending' ELSE 'retrying' END,
        attempts = CASE WHEN attempts = 0 OR last_error IS NULL THEN 0 ELSE attempts END,
        next_attempt_at = :dueAt
      WHERE org_id = :org AND endpoint_id = :endpoint AND status = 'held'
      RETURNING event_id
      """;

  /**
   * {@link Delivery#recoveredAt} of the endpoint's failed deliveries of the events created since
   * {@code :since}: pending from zero attempts, due at {@code :dueAt}, or held; the last attempt
   * and error stay. The failed index finds the endpoint's failed rows, and each event by its key.
   */
  static final String RECOVER =
      """
      UPDATE deliveries d SET
        status = CASE WHEN :hold THEN 'held' ELSE 'pending' END,
        attempts = 0,
        next_attempt_at = CASE WHEN :hold THEN NULL ELSE CAST(:dueAt AS timestamptz) END
      FROM events e
      WHERE d.org_id = :org AND d.endpoint_id = :endpoint AND d.status = 'failed'
        AND e.org_id = d.org_id AND e.id = d.event_id AND e.created_at >= :since
      RETURNING d.event_id
      """;

  /** {@link Delivery#ended} of the endpoint's deliveries not yet made. */
  private static final String END_ALL =
      """
      UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, last_error = :reason
      WHERE org_id = :org AND endpoint_id = :endpoint
        AND status IN ('pending', 'retrying', 'held')
      RETURNING event_id
      """;

  private DeliveryRows() {}

  /** Releases the endpoint's held deliveries, with their events' summaries; returns how many. */
  static int release(Handle handle, OrganizationId organization, EndpointId endpoint, Instant at) {
    return changeAll(
        handle,
        organization,
        endpoint,
        handle.createQuery(RELEASE).bind("dueAt", Timestamps.of(at)));
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
        handle
            .createQuery(RECOVER)
            .bind("since", Timestamps.of(since))
            .bind("dueAt", Timestamps.of(dueAt))
            .bind("hold", hold));
  }

  /**
   * Ends the endpoint's deliveries not yet made, with their events' summaries; returns how many.
   */
  static int endAll(
      Handle handle, OrganizationId organization, EndpointId endpoint, String reason) {
    return changeAll(
        handle, organization, endpoint, handle.createQuery(END_ALL).bind("reason", reason));
  }

  private static int changeAll(
      Handle handle, OrganizationId organization, EndpointId endpoint, Query query) {
    List<DeliveryKey> changed =
        query
            .bind("org", organization.value())
            .bind("endpoint", endpoint.value())
            .map(
                (rs, ctx) ->
                    new DeliveryKey(
                        organization, new EventId(rs.getObject("event_id", UUID.class)), endpoint))
            .list();
    EventSummaries.refresh(handle, changed);
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
   * with the event's summary; empty if there is no such event.
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
              h.createQuery(EVENT_EXISTS)
                      .bind("org", organization.value())
                      .bind("id", id.value())
                      .mapTo(Long.class)
                      .one()
                  > 0;
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
                              dueAt))
                  .list();
          EventSummaries.refresh(
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

package io.triggers.adapters.postgres;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.model.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** Maps rows of the events table. */
final class EventRows {

  static final String DELIVERY_COLUMNS =
      "delivery_status, attempts, last_attempt_at, next_attempt_at, last_error, delivered_at";

  static final String COLUMNS =
      "org_id, id, type, payload, dedup_id, created_at, " + DELIVERY_COLUMNS;

  /**
   * What the inbox shows of each event, read by position in {@link #inboxEvent}: the organization
   * is the one asked for, and the delivery's history is left out.
   */
  static final String INBOX_COLUMNS =
      "id, type, payload, dedup_id, created_at, delivery_status, attempts";

  private EventRows() {}

  static InboxEvent inboxEvent(ResultSet rs, OrganizationId organization) throws SQLException {
    Event event =
        new Event(
            new EventId(rs.getObject(1, UUID.class)),
            organization,
            new EventType(rs.getString(2)),
            new Payload(rs.getString(3)),
            Optional.ofNullable(rs.getString(4)).map(DedupId::new),
            Timestamps.read(rs, 5).orElseThrow());
    return new InboxEvent(event, DeliveryStatus.parse(rs.getString(6)), rs.getInt(7));
  }

  static StoredEvent storedEvent(ResultSet rs) throws SQLException {
    Event event =
        new Event(
            new EventId(rs.getObject("id", UUID.class)),
            new OrganizationId(rs.getObject("org_id", UUID.class)),
            new EventType(rs.getString("type")),
            new Payload(rs.getString("payload")),
            Optional.ofNullable(rs.getString("dedup_id")).map(DedupId::new),
            Timestamps.read(rs, "created_at").orElseThrow());
    return new StoredEvent(event, delivery(rs));
  }

  static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(
        DeliveryStatus.parse(rs.getString("delivery_status")),
        rs.getInt("attempts"),
        Timestamps.read(rs, "last_attempt_at"),
        Timestamps.read(rs, "next_attempt_at"),
        Optional.ofNullable(rs.getString("last_error")),
        Timestamps.read(rs, "delivered_at"));
  }
}

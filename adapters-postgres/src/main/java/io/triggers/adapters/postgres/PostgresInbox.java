package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.port.out.Inbox;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** The inbox on PostgreSQL: keyset pages of the events table, and acknowledgements. */
final class PostgresInbox implements Inbox {

  /**
   * The columns of an event marked delivered at {@code :at}; one that already was keeps its first
   * delivery time.
   */
  static final String EVENT_DELIVERED =
      """
        delivered_at = CASE WHEN delivery_status = 'delivered' THEN delivered_at ELSE :at END,
        next_attempt_at = CASE WHEN delivery_status = 'delivered' THEN next_attempt_at END,
        delivery_status = 'delivered'
      """;

  /** The columns of a delivery ended as delivered at {@code :at} by an acknowledgement. */
  static final String DELIVERIES_DELIVERED =
      "status = 'delivered', delivered_at = :at, next_attempt_at = NULL";

  /**
   * A CTE named {@code locked} that locks the organization's events the condition selects, and
   * answers their ids, in the order of {@link EventSummaries#lock}, which every statement that
   * changes several events follows, whatever order it reads them in: two of them that share events
   * then never wait for each other in a cycle. The statement then changes the events {@code FROM
   * locked}.
   */
  static String locked(String condition) {
    return """
        locked AS (
          SELECT id FROM events WHERE org_id = :org AND %s
          ORDER BY org_id, id
          FOR UPDATE)
        """
        .formatted(condition);
  }

  /**
   * Ends, as {@link Delivery#acknowledged} does, the deliveries of the events {@code :ids} to every
   * endpoint: a data-modifying CTE named {@code ended}, run once the events are changed.
   */
  private static final String ENDED =
      """
      ended AS (
        UPDATE deliveries SET
      """
          + DELIVERIES_DELIVERED
          + """
        WHERE org_id = :org AND event_id = ANY(:ids) AND status <> 'delivered')
      """;

  /** Marks delivered the event, and its deliveries; one row, so no order to keep. */
  private static final String ACKNOWLEDGE =
      "WITH "
          + ENDED
          + "UPDATE events SET "
          + EVENT_DELIVERED
          + " WHERE org_id = :org AND id = ANY(:ids) RETURNING "
          + EventRows.DELIVERY_COLUMNS;

  /** Marks delivered the events, locked in order first, and their deliveries. */
  static final String ACKNOWLEDGE_ALL =
      "WITH "
          + locked("id = ANY(:ids)")
          + ", "
          + ENDED
          + "UPDATE events SET "
          + EVENT_DELIVERED
          + " FROM locked WHERE events.org_id = :org AND events.id = locked.id RETURNING events.id";

  private final Jdbi jdbi;

  PostgresInbox(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    return page(jdbi, organization, query, InboxSql.of(organization, query));
  }

  /** Runs an inbox statement of {@code query} and cuts the page from its rows. */
  static InboxPage page(Jdbi jdbi, OrganizationId organization, InboxQuery query, InboxSql inbox) {
    List<InboxEvent> rows =
        SqlFailures.withHandle(
            jdbi,
            "list the inbox",
            handle ->
                handle
                    .createQuery(inbox.sql())
                    .bindMap(inbox.parameters())
                    .map((rs, ctx) -> EventRows.inboxEvent(rs, organization))
                    .list());
    if (rows.size() <= query.limit()) {
      return new InboxPage(rows, Optional.empty());
    }
    List<InboxEvent> page = rows.subList(0, query.limit());
    return new InboxPage(page, Optional.of(InboxCursor.after(page.get(page.size() - 1).event())));
  }

  /**
   * The inbox query, asking one row more than the limit to tell whether a next page exists. Only
   * fixed fragments vary with the query; every value is a parameter.
   */
  record InboxSql(String sql, Map<String, Object> parameters) {

    static InboxSql of(OrganizationId organization, InboxQuery query) {
      return of(organization, query, "", Map.of());
    }

    /**
     * The inbox query with {@code condition} added, a fixed fragment whose values are in {@code
     * values}; none when empty.
     */
    static InboxSql of(
        OrganizationId organization,
        InboxQuery query,
        String condition,
        Map<String, Object> values) {
      boolean newestFirst = query.order() == SortOrder.NEWEST_FIRST;
      Map<String, Object> parameters = new LinkedHashMap<>();
      StringBuilder sql =
          new StringBuilder("SELECT ")
              .append(EventRows.INBOX_COLUMNS)
              .append(" FROM events WHERE org_id = :org");
      parameters.put("org", organization.value());
      if (!query.statuses().containsAll(EnumSet.allOf(DeliveryStatus.class))) {
        sql.append(" AND delivery_status = ANY(:statuses)");
        parameters.put(
            "statuses",
            query.statuses().stream()
                .map(DeliveryStatus::wireName)
                .sorted()
                .toArray(String[]::new));
      }
      if (query.type().isPresent()) {
        sql.append(" AND type = :type");
        parameters.put("type", query.type().get().value());
      }
      if (!condition.isEmpty()) {
        sql.append(" AND ").append(condition);
        parameters.putAll(values);
      }
      if (query.after().isPresent()) {
        InboxCursor after = query.after().get();
        sql.append(" AND (created_at, id) ")
            .append(newestFirst ? '<' : '>')
            .append(" (:afterCreatedAt, :afterId)");
        parameters.put("afterCreatedAt", Timestamps.of(after.createdAt()));
        parameters.put("afterId", after.lastId().value());
      }
      sql.append(
              newestFirst
                  ? " ORDER BY created_at DESC, id DESC"
                  : " ORDER BY created_at ASC, id ASC")
          .append(" LIMIT :limit");
      parameters.put("limit", query.limit() + 1);
      return new InboxSql(sql.toString(), Collections.unmodifiableMap(parameters));
    }
  }

  @Override
  public Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at) {
    return SqlFailures.withRetries(
        jdbi,
        "acknowledge an event",
        handle ->
            handle
                .createQuery(ACKNOWLEDGE)
                .bind("org", organization.value())
                .bind("ids", new UUID[] {id.value()})
                .bind("at", Timestamps.of(at))
                .map((rs, ctx) -> EventRows.delivery(rs))
                .findOne());
  }

  @Override
  public Set<EventId> acknowledgeAll(
      OrganizationId organization, Collection<EventId> ids, Instant at) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    UUID[] values = ids.stream().map(EventId::value).distinct().toArray(UUID[]::new);
    return SqlFailures.withRetries(
        jdbi,
        "acknowledge events",
        handle ->
            handle
                .createQuery(ACKNOWLEDGE_ALL)
                .bind("org", organization.value())
                .bind("ids", values)
                .bind("at", Timestamps.of(at))
                .map((rs, ctx) -> new EventId(rs.getObject("id", UUID.class)))
                .collect(Collectors.toUnmodifiableSet()));
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.EventStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The event store on PostgreSQL: appends go through the {@link GroupCommitter}. */
final class PostgresEventStore implements EventStore {

  private static final String FIND =
      "SELECT " + EventRows.COLUMNS + " FROM events WHERE org_id = :org AND id = :id";

  private static final String DELETE = "DELETE FROM events WHERE org_id = :org AND id = :id";

  /** Marks delivered; a row that already was keeps its first delivery time. */
  private static final String ACKNOWLEDGE_SET =
      """
      UPDATE events SET
        delivered_at = CASE WHEN delivery_status = 'delivered' THEN delivered_at ELSE :at END,
        next_attempt_at = CASE WHEN delivery_status = 'delivered' THEN next_attempt_at END,
        delivery_status = 'delivered'
      """;

  private static final String ACKNOWLEDGE =
      ACKNOWLEDGE_SET + " WHERE org_id = :org AND id = :id RETURNING " + EventRows.DELIVERY_COLUMNS;

  private static final String ACKNOWLEDGE_ALL =
      ACKNOWLEDGE_SET + " WHERE org_id = :org AND id = ANY(:ids) RETURNING id";

  private static final String SCHEDULE_REDELIVERY =
      "UPDATE events SET delivery_status = 'pending', next_attempt_at = :dueAt,"
          + " delivered_at = NULL WHERE org_id = :org AND id = :id RETURNING "
          + EventRows.DELIVERY_COLUMNS;

  private final Jdbi jdbi;
  private final GroupCommitter committer;

  PostgresEventStore(Jdbi jdbi, GroupCommitter committer) {
    this.jdbi = jdbi;
    this.committer = committer;
  }

  @Override
  public AppendResult append(Event event) {
    return committer.append(List.of(event)).get(0);
  }

  @Override
  public List<AppendResult> appendAll(List<Event> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    return committer.append(events);
  }

  @Override
  public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
    return call(
        "find an event",
        handle ->
            handle
                .createQuery(FIND)
                .bind("org", organization.value())
                .bind("id", id.value())
                .map((rs, ctx) -> EventRows.storedEvent(rs))
                .findOne());
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    return call(
        "delete an event",
        handle ->
            handle
                    .createUpdate(DELETE)
                    .bind("org", organization.value())
                    .bind("id", id.value())
                    .execute()
                > 0);
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    List<StoredEvent> rows =
        call(
            "list the inbox",
            handle ->
                inbox(handle, "", organization, query)
                    .map((rs, ctx) -> EventRows.storedEvent(rs))
                    .list());
    if (rows.size() <= query.limit()) {
      return new InboxPage(rows, Optional.empty());
    }
    List<StoredEvent> page = rows.subList(0, query.limit());
    return new InboxPage(page, Optional.of(InboxCursor.after(page.get(page.size() - 1).event())));
  }

  /**
   * The inbox query, one row more than the limit to tell whether a next page exists; {@code prefix}
   * lets a test ask for its plan. Only fixed SQL fragments vary, never client text.
   */
  static Query inbox(Handle handle, String prefix, OrganizationId organization, InboxQuery query) {
    boolean newestFirst = query.order() == SortOrder.NEWEST_FIRST;
    boolean allStatuses = query.statuses().containsAll(Set.of(DeliveryStatus.values()));
    StringBuilder sql =
        new StringBuilder(prefix)
            .append("SELECT ")
            .append(EventRows.COLUMNS)
            .append(" FROM events WHERE org_id = :org");
    if (!allStatuses) {
      sql.append(" AND delivery_status = ANY(:statuses)");
    }
    query.type().ifPresent(type -> sql.append(" AND type = :type"));
    query
        .after()
        .ifPresent(
            after ->
                sql.append(" AND (created_at, id) ")
                    .append(newestFirst ? '<' : '>')
                    .append(" (:afterCreatedAt, :afterId)"));
    sql.append(
        newestFirst ? " ORDER BY created_at DESC, id DESC" : " ORDER BY created_at ASC, id ASC");
    sql.append(" LIMIT :limit");

    Query statement =
        handle
            .createQuery(sql.toString())
            .bind("org", organization.value())
            .bind("limit", query.limit() + 1);
    if (!allStatuses) {
      statement.bind(
          "statuses",
          query.statuses().stream().map(DeliveryStatus::wireName).toArray(String[]::new));
    }
    query.type().ifPresent(type -> statement.bind("type", type.value()));
    query
        .after()
        .ifPresent(
            after ->
                statement
                    .bind("afterCreatedAt", EventRows.timestamp(after.createdAt()))
                    .bind("afterId", after.lastId().value()));
    return statement;
  }

  @Override
  public Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at) {
    return call(
        "acknowledge an event",
        handle ->
            handle
                .createQuery(ACKNOWLEDGE)
                .bind("org", organization.value())
                .bind("id", id.value())
                .bind("at", EventRows.timestamp(at))
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
    return call(
        "acknowledge events",
        handle ->
            handle
                .createQuery(ACKNOWLEDGE_ALL)
                .bind("org", organization.value())
                .bind("ids", values)
                .bind("at", EventRows.timestamp(at))
                .map((rs, ctx) -> new EventId(rs.getObject("id", UUID.class)))
                .collect(Collectors.toUnmodifiableSet()));
  }

  @Override
  public Optional<Delivery> scheduleRedelivery(
      OrganizationId organization, EventId id, Instant dueAt) {
    return call(
        "schedule a redelivery",
        handle ->
            handle
                .createQuery(SCHEDULE_REDELIVERY)
                .bind("org", organization.value())
                .bind("id", id.value())
                .bind("dueAt", EventRows.timestamp(dueAt))
                .map((rs, ctx) -> EventRows.delivery(rs))
                .findOne());
  }

  private <T> T call(String action, Function<Handle, T> work) {
    try {
      return jdbi.withHandle(work::apply);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(action, e);
    }
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventStore;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The event store on PostgreSQL: appends go through the {@link GroupCommitter}, claims of delivery
 * attempts and their results through {@link DeliveryWrites}.
 */
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
      "UPDATE events SET delivery_status = 'pending', attempts = 0, next_attempt_at = :dueAt,"
          + " delivered_at = NULL WHERE org_id = :org AND id = :id RETURNING "
          + EventRows.DELIVERY_COLUMNS;

  private static final String DUE_DELIVERIES =
      "SELECT org_id, id, next_attempt_at FROM events WHERE "
          + DeliveryWrites.SCHEDULED
          + " AND next_attempt_at <= :dueBy";

  private static final String DUE_DELIVERIES_AFTER =
      " AND (next_attempt_at, org_id, id) > (:afterAt, :afterOrg, :afterId)";

  private static final String DUE_DELIVERIES_ORDER =
      " ORDER BY next_attempt_at, org_id, id LIMIT :limit";

  /**
   * Old rows are found by the BRIN index on created_at and deleted by physical address, so one
   * batch costs little however large the table.
   */
  private static final String DELETE_CREATED_BEFORE =
      """
      DELETE FROM events
      WHERE ctid = ANY(ARRAY(SELECT ctid FROM events WHERE created_at < :cutoff LIMIT :maxEvents))
        AND created_at < :cutoff
      """;

  private final Jdbi jdbi;
  private final GroupCommitter committer;
  private final DeliveryWrites deliveryWrites;

  PostgresEventStore(Jdbi jdbi, GroupCommitter committer, DeliveryWrites deliveryWrites) {
    this.jdbi = jdbi;
    this.committer = committer;
    this.deliveryWrites = deliveryWrites;
  }

  @Override
  public AppendResult append(Event event) {
    return committer.append(List.of(event), false).get(0);
  }

  @Override
  public List<AppendResult> appendAll(List<Event> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    return committer.append(events, false);
  }

  @Override
  public List<AppendResult> appendForDelivery(List<Event> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    return committer.append(events, true);
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
    InboxSql inbox = InboxSql.of(organization, query);
    List<InboxEvent> rows =
        call(
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
    return call(
        "acknowledge an event",
        handle ->
            handle
                .createQuery(ACKNOWLEDGE)
                .bind("org", organization.value())
                .bind("id", id.value())
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
    return call(
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
                .bind("dueAt", Timestamps.of(dueAt))
                .map((rs, ctx) -> EventRows.delivery(rs))
                .findOne());
  }

  @Override
  public Optional<StoredEvent> claimDelivery(
      OrganizationId organization, EventId id, Instant now, Instant leaseUntil) {
    return deliveryWrites.claim(organization, id, now, leaseUntil);
  }

  @Override
  public Optional<Delivery> recordAttempt(
      OrganizationId organization, EventId id, Instant leaseUntil, AttemptResult result) {
    return deliveryWrites.record(organization, id, leaseUntil, result);
  }

  @Override
  public List<DeliveryTask> dueDeliveries(Instant dueBy, Optional<DeliveryTask> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    String sql = dueDeliveriesSql(after.isPresent());
    return call(
        "find due deliveries",
        handle -> {
          Query query =
              handle.createQuery(sql).bind("dueBy", Timestamps.of(dueBy)).bind("limit", limit);
          after.ifPresent(
              task ->
                  query
                      .bind("afterAt", Timestamps.of(task.dueAt()))
                      .bind("afterOrg", task.organization().value())
                      .bind("afterId", task.eventId().value()));
          return query
              .map(
                  (rs, ctx) ->
                      new DeliveryTask(
                          new OrganizationId(rs.getObject("org_id", UUID.class)),
                          new EventId(rs.getObject("id", UUID.class)),
                          Timestamps.read(rs, "next_attempt_at").orElseThrow()))
              .list();
        });
  }

  /** The sweep's statement, for the first page or for the pages after a cursor. */
  static String dueDeliveriesSql(boolean afterCursor) {
    return DUE_DELIVERIES + (afterCursor ? DUE_DELIVERIES_AFTER : "") + DUE_DELIVERIES_ORDER;
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1");
    }
    return call(
        "delete old events",
        handle ->
            handle
                .createUpdate(DELETE_CREATED_BEFORE)
                .bind("cutoff", Timestamps.of(cutoff))
                .bind("maxEvents", maxEvents)
                .execute());
  }

  private <T> T call(String action, Function<Handle, T> work) {
    try {
      return jdbi.withHandle(work::apply);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(action, e);
    }
  }
}

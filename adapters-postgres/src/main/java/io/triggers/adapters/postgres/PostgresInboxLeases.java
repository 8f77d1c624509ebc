package io.triggers.adapters.postgres;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.LeasedEvent;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.port.out.InboxLeases;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Inbox leases on PostgreSQL: each event's lease state in its row of the events table, and one row
 * per lease in {@code inbox_leases}. Times come from the caller, never from the database's clock,
 * so every node and the in-memory store agree on when a lease ends.
 */
final class PostgresInboxLeases implements InboxLeases {

  private static final UUID[] NO_IDS = new UUID[0];

  private final Jdbi jdbi;

  PostgresInboxLeases(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<Lease> lease(OrganizationId organization, LeaseRequest request) {
    List<LeasedEvent> events =
        SqlFailures.withHandle(
            jdbi,
            "lease inbox events",
            handle -> {
              Query query =
                  handle
                      .createQuery(LeaseSql.lease(request.type().isPresent()))
                      .bind("org", organization.value())
                      .bind("lease", request.id().value())
                      .bind("max", request.maxLeases())
                      .bind("now", Timestamps.of(request.now()))
                      .bind("until", Timestamps.of(request.until()))
                      .bind("limit", request.limit());
              request.type().ifPresent(type -> query.bind("type", type.value()));
              return query.map((rs, ctx) -> leasedEvent(rs, organization)).list();
            });
    return events.isEmpty()
        ? Optional.empty()
        : Optional.of(new Lease(request.id(), request.until(), events));
  }

  private static LeasedEvent leasedEvent(ResultSet rs, OrganizationId organization)
      throws SQLException {
    Event event =
        new Event(
            new EventId(rs.getObject(1, UUID.class)),
            organization,
            new EventType(rs.getString(2)),
            new Payload(rs.getString(3)),
            Optional.ofNullable(rs.getString(4)).map(DedupId::new),
            Timestamps.read(rs, 5).orElseThrow());
    return new LeasedEvent(event, rs.getInt(6));
  }

  @Override
  public Optional<LeaseAcknowledgement> acknowledge(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids, Instant at) {
    return change(
            "acknowledge leased events",
            LeaseSql.ACKNOWLEDGE,
            organization,
            lease,
            Map.of(
                "at",
                Timestamps.of(at),
                "all",
                ids.isEmpty(),
                "ids",
                ids.map(this::uuids).orElse(NO_IDS)))
        .map(
            result -> {
              Set<EventId> wanted = ids.orElse(Set.of());
              List<EventId> chosen =
                  ids.isEmpty()
                      ? result.took()
                      : result.took().stream().filter(wanted::contains).toList();
              Set<EventId> done = new HashSet<>(result.changed());
              List<EventId> acknowledged = chosen.stream().filter(done::contains).toList();
              List<EventId> expired = chosen.stream().filter(id -> !done.contains(id)).toList();
              List<EventId> notInLease =
                  wanted.stream().filter(id -> !result.took().contains(id)).sorted().toList();
              return new LeaseAcknowledgement(acknowledged, expired, notInLease);
            });
  }

  @Override
  public Optional<List<EventId>> extend(
      OrganizationId organization, LeaseId lease, Instant until, Instant now, int maxLeases) {
    return change(
            "extend a lease",
            LeaseSql.EXTEND,
            organization,
            lease,
            Map.of("until", Timestamps.of(until), "now", Timestamps.of(now), "max", maxLeases))
        .map(Changed::changed);
  }

  @Override
  public Optional<List<EventId>> release(
      OrganizationId organization,
      LeaseId lease,
      Optional<Set<EventId>> ids,
      Instant availableAt,
      Instant now,
      int maxLeases) {
    return change(
            "release leased events",
            LeaseSql.RELEASE,
            organization,
            lease,
            Map.of(
                "availableAt", Timestamps.of(availableAt),
                "now", Timestamps.of(now),
                "max", maxLeases,
                "all", ids.isEmpty(),
                "ids", ids.map(this::uuids).orElse(NO_IDS)))
        .map(Changed::changed);
  }

  /** What the lease took, and which of its events the statement changed, in lease order. */
  private record Changed(List<EventId> took, List<EventId> changed) {}

  private Optional<Changed> change(
      String action,
      String sql,
      OrganizationId organization,
      LeaseId lease,
      Map<String, Object> parameters) {
    return SqlFailures.withRetries(
        jdbi,
        action,
        handle ->
            handle
                .createQuery(sql)
                .bind("org", organization.value())
                .bind("lease", lease.value())
                .bindMap(parameters)
                .map((rs, ctx) -> changed(rs))
                .one());
  }

  private static Optional<Changed> changed(ResultSet rs) throws SQLException {
    List<EventId> took = ids(rs.getArray("took"));
    if (took == null) {
      return Optional.empty();
    }
    Set<EventId> changed = new HashSet<>(ids(rs.getArray("changed")));
    return Optional.of(new Changed(took, took.stream().filter(changed::contains).toList()));
  }

  /** The ids of a uuid[] column, or null for SQL NULL. */
  private static List<EventId> ids(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    try {
      return Arrays.stream((Object[]) array.getArray())
          .map(value -> new EventId((UUID) value))
          .toList();
    } finally {
      array.free();
    }
  }

  private UUID[] uuids(Set<EventId> ids) {
    return ids.stream().map(EventId::value).toArray(UUID[]::new);
  }

  @Override
  public int seek(OrganizationId organization, Instant from) {
    return SqlFailures.withRetries(
        jdbi,
        "seek the inbox",
        handle ->
            handle
                .createUpdate(LeaseSql.SEEK)
                .bind("org", organization.value())
                .bind("from", Timestamps.of(from))
                .execute());
  }

  @Override
  public boolean revive(OrganizationId organization, EventId id, Instant now, int maxLeases) {
    return SqlFailures.withRetries(
        jdbi,
        "revive a dead event",
        handle ->
            handle
                    .createUpdate(LeaseSql.REVIVE)
                    .bind("org", organization.value())
                    .bind("id", id.value())
                    .bind("now", Timestamps.of(now))
                    .bind("max", maxLeases)
                    .execute()
                > 0);
  }

  @Override
  public Optional<InboxState> state(OrganizationId organization, EventId id) {
    return SqlFailures.withHandle(
        jdbi,
        "read an event's lease state",
        handle ->
            handle
                .createQuery(LeaseSql.STATE)
                .bind("org", organization.value())
                .bind("id", id.value())
                .map(
                    (rs, ctx) ->
                        new InboxState(
                            Optional.ofNullable(rs.getObject(1, UUID.class)).map(LeaseId::new),
                            rs.getInt(2),
                            Timestamps.read(rs, 3)))
                .findOne());
  }

  @Override
  public InboxPage dead(OrganizationId organization, InboxQuery query, Instant now, int maxLeases) {
    return PostgresInbox.page(
        jdbi,
        organization,
        query,
        PostgresInbox.InboxSql.of(
            organization,
            query,
            LeaseSql.DEAD_IN_INBOX,
            Map.of("max", maxLeases, "now", Timestamps.of(now))));
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * Stores the events of a batch of appends with one multi-row insert, fanning those for push out to
 * their organizations' endpoints in the same statement (one delivery row per matching endpoint,
 * scheduled if it is enabled, held otherwise), and tells each append what became of its events:
 * stored (with the endpoints now due), or the duplicate of the event that holds its dedup id, be
 * that an earlier event of the batch or one stored before. The batch commits whole or not at all.
 */
final class EventInserts
    implements StatementBatcher.Statement<EventInserts.Append, List<AppendResult>> {

  /**
   * One caller's events; when {@code scheduled}, each stored event is fanned out to its
   * organization's endpoints, the first attempt of each enabled one's delivery due at its creation
   * time.
   */
  record Append(List<Event> events, boolean scheduled) {

    Append {
      events = List.copyOf(events);
    }
  }

  /** How many times a batch inserts its rows while the holders of refused dedup ids vanish. */
  private static final int MAX_ROUNDS = 3;

  /**
   * Whether an endpoint's filters ({@code p.event_types}) take an event's type ({@code r.type}): no
   * filter, an equal one, or a prefix {@code x.*} that the type starts with as {@code x.} and goes
   * on after, as {@link io.triggers.core.model.EventTypeFilter#matches} decides.
   */
  private static final String SUBSCRIBED =
      """
      (cardinality(p.event_types) = 0 OR EXISTS (
        SELECT 1 FROM unnest(p.event_types) AS f
        WHERE f = r.type OR (right(f, 2) = '.*' AND length(r.type) > length(f) - 1
                             AND starts_with(r.type, left(f, -1)))))
      """;

  /**
   * Inserts the events, then one delivery per event stored for push and endpoint of its
   * organization that takes its type; answers each stored event's id with each endpoint due now
   * (one row per such endpoint, or one with no endpoint).
   */
  private static final String INSERT =
      """
      WITH r AS (
        SELECT org_id::uuid AS org_id, id::uuid AS id, type, payload::json AS payload, dedup_id,
         \s"""
          + BinaryParameters.timestamp("created_at")
          + """
           AS created_at, scheduled
        FROM unnest(:orgIds, :ids, :types, :payloads, :dedupIds, :createdAts, :scheduled)
          AS u(org_id, id, type, payload, dedup_id, created_at, scheduled)
      ), fan AS (
        SELECT r.org_id, r.id, p.id AS endpoint_id, p.status = 'enabled' AS enabled, r.created_at
        FROM r JOIN endpoints p ON p.org_id = r.org_id
        WHERE r.scheduled AND\s"""
          + SUBSCRIBED
          + """
          ), stored AS (
            INSERT INTO events (org_id, id, type, payload, dedup_id, created_at, next_attempt_at)
            SELECT org_id, id, type, payload, dedup_id, created_at,
              CASE WHEN (org_id, id) IN (SELECT fan.org_id, fan.id FROM fan WHERE fan.enabled)
              THEN created_at END
            FROM r
            ON CONFLICT (org_id, dedup_id) WHERE dedup_id IS NOT NULL DO NOTHING
            RETURNING org_id, id
          ), fanned AS (
            INSERT INTO deliveries (org_id, event_id, endpoint_id, status, next_attempt_at)
            SELECT fan.org_id, fan.id, fan.endpoint_id,
              CASE WHEN fan.enabled THEN 'pending' ELSE 'held' END,
              CASE WHEN fan.enabled THEN fan.created_at END
            FROM fan JOIN stored ON stored.org_id = fan.org_id AND stored.id = fan.id
            RETURNING org_id, event_id, endpoint_id, status
          )
          SELECT stored.id, fanned.endpoint_id
          FROM stored LEFT JOIN fanned ON fanned.org_id = stored.org_id
            AND fanned.event_id = stored.id AND fanned.status = 'pending'
          """;

  private static final String FIND_HOLDERS =
      """
      SELECT e.org_id, e.dedup_id, e.id
      FROM unnest(:orgIds, :dedupIds) AS k(org_id, dedup_id)
      JOIN events e ON e.org_id = k.org_id AND e.dedup_id = k.dedup_id
      WHERE e.dedup_id IS NOT NULL
      """;

  @Override
  public List<List<AppendResult>> run(Handle handle, List<Append> appends) {
    List<Event> all = new ArrayList<>();
    boolean allScheduled = true;
    for (Append append : appends) {
      all.addAll(append.events());
      allScheduled &= append.scheduled();
    }
    Predicate<EventId> scheduled = allScheduled ? id -> true : scheduledIn(appends);
    // For each event with a dedup id: the position of the first event of the batch with that id.
    int[] leader = new int[all.size()];
    Map<DedupKey, Integer> firstPosition = HashMap.newHashMap(all.size());
    List<Event> toInsert = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Event event = all.get(i);
      leader[i] = i;
      if (event.dedupId().isPresent()) {
        Integer first = firstPosition.putIfAbsent(DedupKey.of(event), i);
        if (first != null) {
          leader[i] = first;
          continue;
        }
      }
      toInsert.add(event);
    }
    // Rows in one order everywhere, so concurrent inserts wait on each other's dedup ids in the
    // same order and cannot deadlock.
    toInsert.sort(DedupKey.INSERT_ORDER);
    Map<UUID, List<EndpointId>> inserted = HashMap.newHashMap(toInsert.size());
    Map<DedupKey, EventId> holders = new HashMap<>();
    if (toInsert.stream().anyMatch(event -> event.dedupId().isPresent())) {
      // A refused dedup id takes further statements; they and the insert commit together or not
      // at all, so that no failure can follow rows already committed.
      handle.useTransaction(h -> insertResolvingHolders(h, toInsert, scheduled, inserted, holders));
    } else {
      // Without dedup ids the one insert is the whole transaction, and its commit the only one.
      insertResolvingHolders(handle, toInsert, scheduled, inserted, holders);
    }

    List<List<AppendResult>> answers = new ArrayList<>();
    int position = 0;
    for (Append append : appends) {
      AppendResult[] results = new AppendResult[append.events().size()];
      for (int j = 0; j < results.length; j++, position++) {
        Event event = all.get(position);
        Event first = all.get(leader[position]);
        boolean isFirst = leader[position] == position;
        if (!isFirst && inserted.containsKey(first.id().value())) {
          results[j] = new AppendResult.Duplicate(first.id());
        } else if (isFirst && inserted.containsKey(event.id().value())) {
          results[j] = new AppendResult.Stored(event, inserted.get(event.id().value()));
        } else {
          results[j] = new AppendResult.Duplicate(holders.get(DedupKey.of(event)));
        }
      }
      answers.add(List.copyOf(Arrays.asList(results)));
    }
    return answers;
  }

  /** Tells the events of the scheduled appends from the others. */
  private static Predicate<EventId> scheduledIn(List<Append> appends) {
    Set<EventId> scheduled = new HashSet<>();
    appends.stream()
        .filter(Append::scheduled)
        .forEach(append -> append.events().forEach(event -> scheduled.add(event.id())));
    return scheduled::contains;
  }

  /**
   * Inserts the rows; for those refused by a taken dedup id, finds the event that holds it. A
   * holder deleted in between frees the id, so such rows are inserted again.
   */
  private static void insertResolvingHolders(
      Handle handle,
      List<Event> rows,
      Predicate<EventId> scheduled,
      Map<UUID, List<EndpointId>> inserted,
      Map<DedupKey, EventId> holders) {
    List<Event> pending = rows;
    for (int round = 1; !pending.isEmpty(); round++) {
      if (round > MAX_ROUNDS) {
        throw new TriggersException("dedup ids kept changing hands while events were stored");
      }
      insert(handle, pending, scheduled, inserted);
      List<Event> refused =
          pending.stream().filter(e -> !inserted.containsKey(e.id().value())).toList();
      if (refused.isEmpty()) {
        return;
      }
      for (Event event : refused) {
        if (event.dedupId().isEmpty()) {
          throw new TriggersException("an event without dedup id was not inserted");
        }
      }
      holders.putAll(findHolders(handle, refused));
      pending = refused.stream().filter(e -> !holders.containsKey(DedupKey.of(e))).toList();
    }
  }

  /**
   * Inserts the rows and adds the stored events' ids to {@code stored}, each with the endpoints its
   * deliveries are due to now.
   */
  private static void insert(
      Handle handle,
      List<Event> rows,
      Predicate<EventId> scheduled,
      Map<UUID, List<EndpointId>> stored) {
    int n = rows.size();
    UUID[] orgIds = new UUID[n];
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] dedupIds = new String[n];
    long[] createdAts = new long[n];
    boolean[] scheduledFlags = new boolean[n];
    for (int i = 0; i < n; i++) {
      Event event = rows.get(i);
      orgIds[i] = event.organizationId().value();
      ids[i] = event.id().value();
      types[i] = event.type().value();
      payloads[i] = event.payload().json();
      dedupIds[i] = event.dedupId().map(DedupId::value).orElse(null);
      createdAts[i] = Timestamps.micros(event.createdAt());
      scheduledFlags[i] = scheduled.test(event.id());
    }
    handle
        .createQuery(INSERT)
        .bind("orgIds", BinaryParameters.ids(orgIds))
        .bind("ids", BinaryParameters.ids(ids))
        .bind("types", BinaryParameters.texts(types))
        .bind("payloads", BinaryParameters.texts(payloads))
        .bind("dedupIds", BinaryParameters.texts(dedupIds))
        .bind("createdAts", BinaryParameters.array(createdAts))
        .bind("scheduled", BinaryParameters.array(scheduledFlags))
        .scanResultSet(
            (results, ctx) -> {
              ResultSet rs = results.get();
              while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                UUID endpoint = rs.getObject(2, UUID.class);
                if (endpoint == null) {
                  stored.putIfAbsent(id, List.of());
                } else {
                  stored.compute(id, (key, due) -> adding(due, new EndpointId(endpoint)));
                }
              }
              return stored;
            });
  }

  private static List<EndpointId> adding(List<EndpointId> due, EndpointId endpoint) {
    List<EndpointId> more = due == null || due.isEmpty() ? new ArrayList<>() : due;
    more.add(endpoint);
    return more;
  }

  private static Map<DedupKey, EventId> findHolders(Handle handle, List<Event> refused) {
    UUID[] orgIds = new UUID[refused.size()];
    String[] dedupIds = new String[refused.size()];
    for (int i = 0; i < orgIds.length; i++) {
      orgIds[i] = refused.get(i).organizationId().value();
      dedupIds[i] = refused.get(i).dedupId().orElseThrow().value();
    }
    Map<DedupKey, EventId> holders = new HashMap<>();
    handle
        .createQuery(FIND_HOLDERS)
        .bind("orgIds", orgIds)
        .bind("dedupIds", dedupIds)
        .map(
            (rs, ctx) ->
                Map.entry(
                    new DedupKey(
                        new OrganizationId(rs.getObject("org_id", UUID.class)),
                        rs.getString("dedup_id")),
                    new EventId(rs.getObject("id", UUID.class))))
        .forEach(entry -> holders.put(entry.getKey(), entry.getValue()));
    return holders;
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.EventLog.AppendResult;
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
import org.jdbi.v3.core.argument.Argument;

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
   * organization that takes its type; answers only the exceptions: each event with a dedup id that
   * was not stored (with no endpoint), and each stored event with an endpoint due now (one row per
   * such endpoint). Most batches store every event and fan none out, so the answer is usually
   * empty, and neither the database nor the writer spends anything on a row per event.
   */
  private static final String INSERT =
      """
      WITH r AS (
        SELECT org_id::uuid AS org_id, id::uuid AS id, type, payload::json AS payload, dedup_id,
          TIMESTAMPTZ '1970-01-01 00:00:00+00' + created_at * INTERVAL '1 microsecond'
            AS created_at,
          scheduled
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
          SELECT r.id, NULL::uuid AS endpoint_id
          FROM r
          WHERE r.dedup_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM stored WHERE stored.org_id = r.org_id AND stored.id = r.id)
          UNION ALL
          SELECT fanned.event_id, fanned.endpoint_id FROM fanned WHERE fanned.status = 'pending'
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
    List<Event> withDedupIds = new ArrayList<>();
    List<Event> toInsert = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      Event event = all.get(i);
      leader[i] = i;
      if (event.dedupId().isEmpty()) {
        toInsert.add(event);
        continue;
      }
      Integer first = firstPosition.putIfAbsent(DedupKey.of(event), i);
      if (first != null) {
        leader[i] = first;
      } else {
        withDedupIds.add(event);
      }
    }
    // The rows with dedup ids in one order everywhere, so concurrent inserts wait on each other's
    // dedup ids in the same order and cannot deadlock; the others take no such lock, and sorting
    // them would only cost comparisons.
    boolean anyDedupId = !withDedupIds.isEmpty();
    withDedupIds.sort(DedupKey.INSERT_ORDER);
    toInsert.addAll(withDedupIds);
    InsertedEvents inserted = new InsertedEvents();
    Map<DedupKey, EventId> holders = new HashMap<>();
    if (anyDedupId) {
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
        if (!isFirst && inserted.stored(first.id())) {
          results[j] = new AppendResult.Duplicate(first.id());
        } else if (isFirst && inserted.stored(event.id())) {
          results[j] = new AppendResult.Stored(event, inserted.dueTo(event.id()));
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
      InsertedEvents inserted,
      Map<DedupKey, EventId> holders) {
    List<Event> pending = rows;
    for (int round = 1; !pending.isEmpty(); round++) {
      if (round > MAX_ROUNDS) {
        throw new TriggersException("dedup ids kept changing hands while events were stored");
      }
      Set<UUID> refusedIds = insert(handle, pending, scheduled, inserted);
      if (refusedIds.isEmpty()) {
        return;
      }
      List<Event> refused =
          pending.stream().filter(e -> refusedIds.contains(e.id().value())).toList();
      holders.putAll(findHolders(handle, refused));
      pending = refused.stream().filter(e -> !holders.containsKey(DedupKey.of(e))).toList();
    }
  }

  /**
   * Inserts the rows and tells {@code inserted} what became of them: those stored, with the
   * endpoints their deliveries are due to now, and those refused for a taken dedup id, whose ids it
   * answers too.
   */
  private static Set<UUID> insert(
      Handle handle, List<Event> rows, Predicate<EventId> scheduled, InsertedEvents inserted) {
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
    return handle
        .createQuery(INSERT)
        .bind("orgIds", binaryArray(TextArrayParameter.of(orgIds)))
        .bind("ids", binaryArray(TextArrayParameter.of(ids)))
        .bind("types", binaryArray(TextArrayParameter.of(types)))
        .bind("payloads", binaryArray(TextArrayParameter.of(payloads)))
        .bind("dedupIds", binaryArray(TextArrayParameter.of(dedupIds)))
        .bind("createdAts", binaryArray(createdAts))
        .bind("scheduled", binaryArray(scheduledFlags))
        .scanResultSet((results, ctx) -> inserted.read(results.get(), rows));
  }

  /**
   * An array as one parameter in PostgreSQL's binary form: texts as {@link TextArrayParameter}s,
   * longs and booleans as the driver encodes them. Jdbi's own array binding sends the text form,
   * whose quoting of every payload's quotes costs both the server and the database a pass over each
   * character; times go as microseconds, which neither side has to format or parse.
   */
  private static Argument binaryArray(Object array) {
    return (position, statement, context) -> statement.setObject(position, array);
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

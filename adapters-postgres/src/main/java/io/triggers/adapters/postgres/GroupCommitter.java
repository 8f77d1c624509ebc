package io.triggers.adapters.postgres;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;

/**
 * Turns many concurrent appends into few multi-row inserts: callers queue their events and wait;
 * writer threads take whatever has queued up, insert it with one statement (one transaction, one
 * commit) and hand each caller its own outcome once the rows are durable.
 *
 * <p>A writer flushes at once when no other batch is being committed, so a lone append is not held
 * back; while one is, the next writer, having taken what was queued, sleeps {@code maxLinger} once
 * and then takes what arrived meanwhile, for a fuller batch.
 *
 * <p>A batch is one transaction, so it commits whole or not at all: a caller is told its events
 * failed only if none of them were committed. A batch that fails is retried request by request,
 * each in a transaction of its own, so one bad event fails only its caller. A value the database
 * refuses (a data error) fails its caller with an {@link
 * io.triggers.core.model.InvalidValueException}.
 */
final class GroupCommitter implements AutoCloseable {

  /** Two writers let one batch be built and sent while the other waits for its commit. */
  static final int WRITERS = 2;

  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final int MAX_ATTEMPTS = 3;

  private static final String INSERT =
      """
      INSERT INTO events (org_id, id, type, payload, dedup_id, created_at, next_attempt_at)
      SELECT org_id::uuid, id::uuid, type, payload::json, dedup_id, created_at::timestamptz,
        CASE WHEN scheduled THEN created_at::timestamptz END
      FROM unnest(:orgIds, :ids, :types, :payloads, :dedupIds, :createdAts, :scheduled)
        AS r(org_id, id, type, payload, dedup_id, created_at, scheduled)
      ON CONFLICT (org_id, dedup_id) WHERE dedup_id IS NOT NULL DO NOTHING
      RETURNING id
      """;

  private static final String FIND_HOLDERS =
      """
      SELECT e.org_id, e.dedup_id, e.id
      FROM unnest(:orgIds, :dedupIds) AS k(org_id, dedup_id)
      JOIN events e ON e.org_id = k.org_id AND e.dedup_id = k.dedup_id
      WHERE e.dedup_id IS NOT NULL
      """;

  private final Jdbi jdbi;
  private final int maxBatchSize;
  private final long maxLingerNanos;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  GroupCommitter(Jdbi jdbi, int maxBatchSize, Duration maxLinger) {
    this.jdbi = jdbi;
    this.maxBatchSize = maxBatchSize;
    this.maxLingerNanos = maxLinger.toNanos();
    for (int i = 0; i < WRITERS; i++) {
      writers.add(
          Thread.ofPlatform().name("triggers-group-commit-" + i).daemon().start(this::runWriter));
    }
  }

  /**
   * Stores {@code events} in one transaction, shared with other callers' events, and blocks until
   * it has committed. Within the list, a repeated dedup id is the duplicate of its first use. When
   * {@code scheduled}, each stored event's first webhook attempt is due at its creation time.
   */
  List<AppendResult> append(List<Event> events, boolean scheduled) {
    Request request = new Request(List.copyOf(events), scheduled);
    if (!running) {
      throw closed();
    }
    queue.add(request);
    if (!running && queue.remove(request)) {
      throw closed();
    }
    return request.await();
  }

  /** Commits everything already queued, then stops the writers. */
  @Override
  public void close() {
    running = false;
    for (Thread writer : writers) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Request> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(request -> request.fail(closed()));
  }

  private static StorageUnavailableException closed() {
    return new StorageUnavailableException("the event store is closed", null);
  }

  private void runWriter() {
    Request carried = null;
    while (true) {
      Request first = carried != null ? carried : poll(IDLE_POLL_NANOS);
      carried = null;
      if (first == null) {
        if (!running) {
          return;
        }
        continue;
      }
      List<Request> batch = new ArrayList<>();
      batch.add(first);
      int rows = first.events.size();
      boolean lingered = false;
      while (rows < maxBatchSize) {
        Request next = queue.poll();
        if (next == null) {
          if (lingered || maxLingerNanos == 0 || inFlight.get() == 0) {
            break;
          }
          // Sleep through the linger rather than wake for each arrival: under load that would be
          // a wake-up per request, costing more CPU than the batch saves.
          lingered = true;
          LockSupport.parkNanos(maxLingerNanos);
          continue;
        }
        if (rows + next.events.size() > maxBatchSize) {
          carried = next;
          break;
        }
        batch.add(next);
        rows += next.events.size();
      }
      inFlight.incrementAndGet();
      try {
        commit(batch);
      } catch (RuntimeException | Error e) {
        // Keep the writer alive whatever happens: its callers are told, later batches go on.
        batch.forEach(request -> request.fail(SqlFailures.translate("store events", e)));
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Writers are never interrupted; should one be, it just polls again. */
  private Request poll(long nanos) {
    if (nanos <= 0) {
      return queue.poll();
    }
    try {
      return queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return null;
    }
  }

  private void commit(List<Request> batch) {
    try {
      writeWithRetries(batch);
    } catch (RuntimeException e) {
      if (SqlFailures.isUnavailable(e)) {
        batch.forEach(request -> request.fail(SqlFailures.translate("store events", e)));
        if (noConnectionCouldBeHad(e)) {
          // Nothing was sent; what queued meanwhile would wait just as long to fail the same way.
          List<Request> waiting = new ArrayList<>();
          queue.drainTo(waiting);
          waiting.forEach(request -> request.fail(SqlFailures.translate("store events", e)));
        }
      } else if (batch.size() > 1) {
        for (Request request : batch) {
          try {
            writeWithRetries(List.of(request));
          } catch (RuntimeException alone) {
            request.fail(SqlFailures.translate("store events", alone));
          }
        }
      } else {
        batch.get(0).fail(SqlFailures.translate("store events", e));
      }
    }
  }

  private static boolean noConnectionCouldBeHad(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }

  private void writeWithRetries(List<Request> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        write(batch);
        return;
      } catch (RuntimeException e) {
        if (attempt == MAX_ATTEMPTS || !SqlFailures.isRetryable(e)) {
          throw e;
        }
      }
    }
  }

  private void write(List<Request> batch) {
    List<Event> all = new ArrayList<>();
    Set<EventId> scheduled = new HashSet<>();
    for (Request request : batch) {
      all.addAll(request.events);
      if (request.scheduled) {
        request.events.forEach(event -> scheduled.add(event.id()));
      }
    }
    // For each event with a dedup id: the position of the first event of the batch with that id.
    int[] leader = new int[all.size()];
    Map<DedupKey, Integer> firstPosition = new HashMap<>();
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
    Set<UUID> inserted = new HashSet<>();
    Map<DedupKey, EventId> holders = new HashMap<>();
    if (toInsert.stream().anyMatch(event -> event.dedupId().isPresent())) {
      // A refused dedup id takes further statements; they and the insert commit together or not
      // at all, so that no failure can follow rows already committed.
      jdbi.useTransaction(
          handle -> insertResolvingHolders(handle, toInsert, scheduled, inserted, holders));
    } else {
      // Without dedup ids the one insert is the whole transaction, and its commit the only one.
      jdbi.useHandle(
          handle -> insertResolvingHolders(handle, toInsert, scheduled, inserted, holders));
    }

    int position = 0;
    for (Request request : batch) {
      AppendResult[] results = new AppendResult[request.events.size()];
      for (int j = 0; j < results.length; j++, position++) {
        Event event = all.get(position);
        Event first = all.get(leader[position]);
        boolean isFirst = leader[position] == position;
        if (!isFirst && inserted.contains(first.id().value())) {
          results[j] = new AppendResult.Duplicate(first.id());
        } else if (isFirst && inserted.contains(event.id().value())) {
          results[j] = new AppendResult.Stored(event);
        } else {
          results[j] = new AppendResult.Duplicate(holders.get(DedupKey.of(event)));
        }
      }
      request.complete(Arrays.asList(results));
    }
  }

  /**
   * Inserts the rows; for those refused by a taken dedup id, finds the event that holds it. A
   * holder deleted in between frees the id, so such rows are inserted again.
   */
  private static void insertResolvingHolders(
      Handle handle,
      List<Event> rows,
      Set<EventId> scheduled,
      Set<UUID> inserted,
      Map<DedupKey, EventId> holders) {
    List<Event> pending = rows;
    for (int round = 1; !pending.isEmpty(); round++) {
      if (round > MAX_ATTEMPTS) {
        throw new TriggersException("dedup ids kept changing hands while events were stored");
      }
      inserted.addAll(insert(handle, pending, scheduled));
      List<Event> refused =
          pending.stream().filter(e -> !inserted.contains(e.id().value())).toList();
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

  private static Set<UUID> insert(Handle handle, List<Event> rows, Set<EventId> scheduled) {
    int n = rows.size();
    String[] orgIds = new String[n];
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] dedupIds = new String[n];
    String[] createdAts = new String[n];
    boolean[] scheduledFlags = new boolean[n];
    for (int i = 0; i < n; i++) {
      Event event = rows.get(i);
      orgIds[i] = event.organizationId().toString();
      ids[i] = event.id().toString();
      types[i] = event.type().value();
      payloads[i] = event.payload().json();
      dedupIds[i] = event.dedupId().map(DedupId::value).orElse(null);
      createdAts[i] = Timestamps.of(event.createdAt()).toString();
      scheduledFlags[i] = scheduled.contains(event.id());
    }
    return handle
        .createQuery(INSERT)
        .bind("orgIds", binaryArray(orgIds))
        .bind("ids", binaryArray(ids))
        .bind("types", binaryArray(types))
        .bind("payloads", binaryArray(payloads))
        .bind("dedupIds", binaryArray(dedupIds))
        .bind("createdAts", binaryArray(createdAts))
        .bind("scheduled", binaryArray(scheduledFlags))
        .map((rs, ctx) -> rs.getObject("id", UUID.class))
        .set();
  }

  /**
   * An array of strings or booleans as one parameter in PostgreSQL's binary form. Jdbi's own array
   * binding sends the text form, whose quoting of every payload's quotes costs both the server and
   * the database a pass over each character.
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

  /** A dedup id within its organization: what the unique index keys on. */
  private record DedupKey(OrganizationId organization, String dedupId) {

    /** Events with a dedup id by organization, then id; those without after them. */
    static final Comparator<Event> INSERT_ORDER =
        Comparator.comparing(
            (Event e) ->
                e.dedupId().isEmpty()
                    ? null
                    : new DedupKey(e.organizationId(), e.dedupId().get().value()),
            Comparator.nullsLast(
                Comparator.comparing((DedupKey k) -> k.organization().value())
                    .thenComparing(DedupKey::dedupId)));

    static DedupKey of(Event event) {
      return new DedupKey(event.organizationId(), event.dedupId().orElseThrow().value());
    }
  }

  /** One caller's events and the answer it waits for. */
  private static final class Request {

    final List<Event> events;
    final boolean scheduled;
    private final CompletableFuture<List<AppendResult>> result = new CompletableFuture<>();

    Request(List<Event> events, boolean scheduled) {
      this.events = events;
      this.scheduled = scheduled;
    }

    void complete(List<AppendResult> results) {
      result.complete(List.copyOf(results));
    }

    void fail(TriggersException failure) {
      result.completeExceptionally(failure);
    }

    List<AppendResult> await() {
      try {
        return result.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TriggersException failure) {
          throw failure;
        }
        throw new TriggersException("storing events failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TriggersException(
            "interrupted while waiting for the commit; the events may or may not be stored", e);
      }
    }
  }
}

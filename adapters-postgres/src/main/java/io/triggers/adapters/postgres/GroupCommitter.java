package io.triggers.adapters.postgres;

import io.triggers.core.model.Event;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns many concurrent appends into few multi-row inserts: callers queue their events and wait;
 * writer threads take whatever has queued up, insert it with one statement (one transaction, one
 * commit) and hand each caller its own outcome once the rows are durable.
 *
 * <p>A writer flushes at once when no other batch is being committed, so a lone append is not held
 * back; while one is, the next writer, having taken what was queued, sleeps {@code maxLinger} once
 * and then takes what arrived meanwhile, for a fuller batch. A batch holds at most {@code
 * maxBatchSize} events, an append counting for as many as it has.
 *
 * <p>A batch is one transaction, so it commits whole or not at all: a caller is told its events
 * failed only if none of them were committed. A batch that fails is retried request by request,
 * each in a transaction of its own, so one bad event fails only its caller. A value the database
 * refuses (a data error) fails its caller with an {@link
 * io.triggers.core.model.InvalidValueException}. When no connection can be had, what queued
 * meanwhile fails at once too, rather than wait as long to fail the same way.
 */
final class GroupCommitter implements AutoCloseable {

  /** Two writers let one batch be built and sent while the other waits for its commit. */
  static final int WRITERS = 2;

  private final StatementBatcher<EventInserts.Append, List<AppendResult>> batcher;

  GroupCommitter(Jdbi jdbi, int maxBatchSize, Duration maxLinger) {
    this(jdbi, maxBatchSize, maxLinger, StatementBatcher.BatchObserver.NONE);
  }

  /** Tells {@code batches} of every group that committed. */
  GroupCommitter(
      Jdbi jdbi, int maxBatchSize, Duration maxLinger, StatementBatcher.BatchObserver batches) {
    StatementBatcher.Settings<EventInserts.Append> settings =
        StatementBatcher.Settings.<EventInserts.Append>of("triggers-group-commit", maxBatchSize)
            .withWriters(WRITERS)
            .withRows(append -> append.events().size())
            .withLinger(maxLinger)
            .failingQueuedWithoutConnection()
            .observedBy(batches);
    this.batcher = new StatementBatcher<>(settings, jdbi, "store events", new EventInserts());
  }

  /**
   * Stores {@code events} in one transaction, shared with other callers' events, and blocks until
   * it has committed. Within the list, a repeated dedup id is the duplicate of its first use. When
   * {@code scheduled}, each stored event's first webhook attempt is due at its creation time.
   */
  List<AppendResult> append(List<Event> events, boolean scheduled) {
    return batcher.submit(new EventInserts.Append(events, scheduled));
  }

  /**
   * Stores {@code events} as {@link #append} does without waiting: the stage completes on a
   * writer's thread once the batch has committed.
   */
  CompletionStage<List<AppendResult>> appendAsync(List<Event> events, boolean scheduled) {
    return batcher.submitAsync(new EventInserts.Append(events, scheduled));
  }

  /** Commits everything already queued, then stops the writers. */
  @Override
  public void close() {
    batcher.close();
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.StorageUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs the small writes of many concurrent callers as few statements: callers queue a request and
 * wait; a writer thread takes whatever has queued up (at most {@link Settings#maxRows} rows), runs
 * it as one statement on one connection and hands each caller its own answer. So however many
 * callers there are, this uses one connection per writer, and the rest of the pool stays free.
 *
 * <p>A lone request runs at once, and batches grow by themselves while a statement is running. With
 * a linger, a writer that finds another batch in flight waits once for more requests before it runs
 * its own. A request that would take a batch past its bound leads the next batch instead.
 *
 * <p>A batch rolled back in a deadlock or serialization conflict runs again after a short wait, up
 * to three times in all, as in {@link SqlFailures#withRetries}. A batch the database refuses is
 * retried request by request, so one bad request fails only its caller, with what {@link
 * SqlFailures#translate} makes of the refusal; while the database is down, the batch fails whole.
 */
final class StatementBatcher<Q, A> implements AutoCloseable {

  /** One statement for a batch: answers in the order of the requests. */
  @FunctionalInterface
  interface Statement<Q, A> {
    List<A> run(Handle handle, List<Q> requests);
  }

  /**
   * How a batcher forms and runs its batches.
   *
   * @param name the writer threads' name, numbered when there are several
   * @param writers how many batches may run at once, each on a connection of its own
   * @param maxRows the bound of a batch, counted in rows; a lone request larger runs alone
   * @param rows how many rows a request counts for
   * @param maxLinger how long a writer that found another batch in flight waits for more requests
   * @param failQueuedWithoutConnection whether a batch that could get no connection fails what
   *     queued meanwhile too, as it would wait just as long to fail the same way
   * @param observer told of every batch that ran whole as one statement
   */
  record Settings<Q>(
      String name,
      int writers,
      int maxRows,
      ToIntFunction<? super Q> rows,
      Duration maxLinger,
      boolean failQueuedWithoutConnection,
      BatchObserver observer) {

    Settings {
      if (writers < 1 || maxRows < 1 || maxLinger.isNegative()) {
        throw new IllegalArgumentException("a batcher needs a writer, a positive bound and linger");
      }
    }

    /** One writer, each request one row, no linger, nobody told of batches. */
    static <Q> Settings<Q> of(String name, int maxRows) {
      return new Settings<>(
          name, 1, maxRows, request -> 1, Duration.ZERO, false, BatchObserver.NONE);
    }

    Settings<Q> withWriters(int count) {
      return new Settings<>(
          name, count, maxRows, rows, maxLinger, failQueuedWithoutConnection, observer);
    }

    Settings<Q> withRows(ToIntFunction<? super Q> weight) {
      return new Settings<>(
          name, writers, maxRows, weight, maxLinger, failQueuedWithoutConnection, observer);
    }

    Settings<Q> withLinger(Duration linger) {
      return new Settings<>(
          name, writers, maxRows, rows, linger, failQueuedWithoutConnection, observer);
    }

    Settings<Q> failingQueuedWithoutConnection() {
      return new Settings<>(name, writers, maxRows, rows, maxLinger, true, observer);
    }

    Settings<Q> observedBy(BatchObserver batches) {
      return new Settings<>(
          name, writers, maxRows, rows, maxLinger, failQueuedWithoutConnection, batches);
    }
  }

  /** Told, on the writer's thread, of each batch that ran whole; must be quick and never throw. */
  @FunctionalInterface
  interface BatchObserver {

    BatchObserver NONE = (rows, nanos) -> {};

    /** A batch of {@code rows} rows ran and committed in {@code nanos}, retries included. */
    void ran(int rows, long nanos);
  }

  private static final long IDLE_POLL_MILLIS = 50;
  private static final int MAX_ATTEMPTS = 3;

  private final Settings<Q> settings;
  private final long maxLingerNanos;
  private final Jdbi jdbi;
  private final String action;
  private final Statement<Q, A> statement;
  private final LinkedBlockingQueue<BatchedRequest<Q, A>> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  /** One writer that takes up to {@code maxBatch} requests at a time, without linger. */
  StatementBatcher(String name, Jdbi jdbi, int maxBatch, String action, Statement<Q, A> statement) {
    this(Settings.of(name, maxBatch), jdbi, action, statement);
  }

  StatementBatcher(Settings<Q> settings, Jdbi jdbi, String action, Statement<Q, A> statement) {
    this.settings = settings;
    this.maxLingerNanos = settings.maxLinger().toNanos();
    this.jdbi = jdbi;
    this.action = action;
    this.statement = statement;
    for (int i = 0; i < settings.writers(); i++) {
      String name = settings.writers() == 1 ? settings.name() : settings.name() + "-" + i;
      writers.add(Thread.ofPlatform().name(name).daemon().start(this::runWriter));
    }
  }

  /** Runs {@code request} in the next batch and waits for its answer. */
  A submit(Q request) {
    return enqueue(request).await();
  }

  /** As {@link #submit}, without waiting: the stage completes on the writer's thread. */
  CompletionStage<A> submitAsync(Q request) {
    return enqueue(request).answer();
  }

  /** Queues the request for a writer; once the batcher is closed, the request fails at once. */
  private BatchedRequest<Q, A> enqueue(Q request) {
    BatchedRequest<Q, A> queued =
        new BatchedRequest<>(request, settings.rows().applyAsInt(request));
    if (!running || (queue.add(queued) && !running && queue.remove(queued))) {
      queued.fail(closed());
    }
    return queued;
  }

  /** How many requests wait for a writer to take them. */
  int queued() {
    return queue.size();
  }

  /** Runs what is already queued, then stops the writers. */
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
    List<BatchedRequest<Q, A>> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(request -> request.fail(closed()));
  }

  private static StorageUnavailableException closed() {
    return new StorageUnavailableException("the event store is closed", null);
  }

  private void runWriter() {
    BatchedRequest<Q, A> carried = null;
    while (true) {
      BatchedRequest<Q, A> first = carried != null ? carried : poll();
      carried = null;
      if (first == null) {
        if (!running) {
          return;
        }
        continue;
      }
      List<BatchedRequest<Q, A>> batch = new ArrayList<>();
      batch.add(first);
      carried = fill(batch, first.rows());
      inFlight.incrementAndGet();
      try {
        run(batch);
      } catch (RuntimeException | Error e) {
        // Keep the writer alive whatever happens: its callers are told, later batches go on.
        fail(batch, e);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Writers are never interrupted on purpose; should one be, it just polls again. */
  private BatchedRequest<Q, A> poll() {
    try {
      return queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      return null;
    }
  }

  /**
   * Adds queued requests to {@code batch} up to its bound; returns the request that would have
   * overflowed it, to lead the next batch, or null.
   */
  private BatchedRequest<Q, A> fill(List<BatchedRequest<Q, A>> batch, int rows) {
    boolean lingered = false;
    while (rows < settings.maxRows()) {
      BatchedRequest<Q, A> next = queue.poll();
      if (next == null) {
        if (lingered || maxLingerNanos == 0 || inFlight.get() == 0) {
          return null;
        }
        // Sleep through the linger rather than wake for each arrival: under load that would be
        // a wake-up per request, costing more CPU than the batch saves.
        lingered = true;
        LockSupport.parkNanos(maxLingerNanos);
        continue;
      }
      if (rows + next.rows() > settings.maxRows()) {
        return next;
      }
      batch.add(next);
      rows += next.rows();
    }
    return null;
  }

  private void run(List<BatchedRequest<Q, A>> batch) {
    try {
      long started = System.nanoTime();
      List<A> answers = runWithRetries(batch);
      settings.observer().ran(rows(batch), System.nanoTime() - started);
      complete(batch, answers);
    } catch (RuntimeException e) {
      if (SqlFailures.isUnavailable(e)) {
        fail(batch, e);
        if (settings.failQueuedWithoutConnection() && SqlFailures.noConnectionCouldBeHad(e)) {
          List<BatchedRequest<Q, A>> waiting = new ArrayList<>();
          queue.drainTo(waiting);
          fail(waiting, e);
        }
      } else if (batch.size() == 1) {
        fail(batch, e);
      } else {
        for (BatchedRequest<Q, A> request : batch) {
          try {
            complete(List.of(request), runWithRetries(List.of(request)));
          } catch (RuntimeException alone) {
            request.fail(SqlFailures.translate(action, alone));
          }
        }
      }
    }
  }

  private List<A> runWithRetries(List<BatchedRequest<Q, A>> batch) {
    List<Q> requests = batch.stream().map(BatchedRequest::request).toList();
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.withHandle(handle -> statement.run(handle, requests));
      } catch (RuntimeException e) {
        if (attempt == MAX_ATTEMPTS || !SqlFailures.isRetryable(e)) {
          throw e;
        }
        SqlFailures.yieldToTheOther(attempt, action, e);
      }
    }
  }

  private static int rows(List<? extends BatchedRequest<?, ?>> batch) {
    return batch.stream().mapToInt(BatchedRequest::rows).sum();
  }

  private void fail(List<BatchedRequest<Q, A>> batch, Throwable failure) {
    batch.forEach(request -> request.fail(SqlFailures.translate(action, failure)));
  }

  private static <Q, A> void complete(List<BatchedRequest<Q, A>> batch, List<A> answers) {
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(answers.get(i));
    }
  }
}

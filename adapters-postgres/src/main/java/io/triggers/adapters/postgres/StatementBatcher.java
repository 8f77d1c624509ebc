package io.triggers.adapters.postgres;

import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs the small writes of many concurrent callers as few statements: callers queue a request and
 * wait; one writer thread takes whatever has queued up (at most {@code maxBatch}), runs it as one
 * statement on one connection and hands each caller its own answer. So however many callers there
 * are, this uses one connection, and the rest of the pool stays free for ingest.
 *
 * <p>The writer does not linger: a lone request runs at once, and batches grow by themselves while
 * a statement is running. A batch the database refuses is retried request by request, so one bad
 * request fails only its caller.
 */
final class StatementBatcher<Q, A> implements AutoCloseable {

  /** One statement for a batch: answers in the order of the requests. */
  @FunctionalInterface
  interface Statement<Q, A> {
    List<A> run(Handle handle, List<Q> requests);
  }

  private static final long IDLE_POLL_MILLIS = 50;
  private static final int MAX_ATTEMPTS = 3;

  private final Jdbi jdbi;
  private final int maxBatch;
  private final String action;
  private final Statement<Q, A> statement;
  private final LinkedBlockingQueue<Request<Q, A>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  StatementBatcher(String name, Jdbi jdbi, int maxBatch, String action, Statement<Q, A> statement) {
    this.jdbi = jdbi;
    this.maxBatch = maxBatch;
    this.action = action;
    this.statement = statement;
    this.writer = Thread.ofPlatform().name(name).daemon().start(this::runWriter);
  }

  /** Runs {@code request} in the next batch and waits for its answer. */
  A submit(Q request) {
    Request<Q, A> queued = new Request<>(request);
    if (!running) {
      throw closed();
    }
    queue.add(queued);
    if (!running && queue.remove(queued)) {
      throw closed();
    }
    return queued.await();
  }

  /** Runs what is already queued, then stops the writer. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Request<Q, A>> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(request -> request.fail(closed()));
  }

  private static StorageUnavailableException closed() {
    return new StorageUnavailableException("the event store is closed", null);
  }

  private void runWriter() {
    while (true) {
      Request<Q, A> first;
      try {
        first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // The writer is never interrupted on purpose; should it be, it just polls again.
        continue;
      }
      if (first == null) {
        if (!running) {
          return;
        }
        continue;
      }
      List<Request<Q, A>> batch = new ArrayList<>();
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      try {
        run(batch);
      } catch (RuntimeException | Error e) {
        // Keep the writer alive whatever happens: its callers are told, later batches go on.
        batch.forEach(request -> request.fail(SqlFailures.translate(action, e)));
      }
    }
  }

  private void run(List<Request<Q, A>> batch) {
    try {
      complete(batch, runWithRetries(batch));
    } catch (RuntimeException e) {
      if (SqlFailures.isUnavailable(e) || batch.size() == 1) {
        batch.forEach(request -> request.fail(SqlFailures.translate(action, e)));
        return;
      }
      for (Request<Q, A> request : batch) {
        try {
          complete(List.of(request), runWithRetries(List.of(request)));
        } catch (RuntimeException alone) {
          request.fail(SqlFailures.translate(action, alone));
        }
      }
    }
  }

  private List<A> runWithRetries(List<Request<Q, A>> batch) {
    List<Q> requests = batch.stream().map(request -> request.request).toList();
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.withHandle(handle -> statement.run(handle, requests));
      } catch (RuntimeException e) {
        if (attempt == MAX_ATTEMPTS || !SqlFailures.isRetryable(e)) {
          throw e;
        }
      }
    }
  }

  private static <Q, A> void complete(List<Request<Q, A>> batch, List<A> answers) {
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).answer.complete(answers.get(i));
    }
  }

  /** One caller's request and the answer it waits for. */
  private static final class Request<Q, A> {

    final Q request;
    final CompletableFuture<A> answer = new CompletableFuture<>();

    Request(Q request) {
      this.request = request;
    }

    void fail(TriggersException failure) {
      answer.completeExceptionally(failure);
    }

    A await() {
      try {
        return answer.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TriggersException failure) {
          throw failure;
        }
        throw new TriggersException("a batched statement failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TriggersException("interrupted while waiting for the database", e);
      }
    }
  }
}

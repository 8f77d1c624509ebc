package io.triggers.adapters.http;

import io.triggers.core.model.FailureLog;
import io.triggers.core.model.Organization;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.XnioIoThread;

/**
 * Hands the replies that other threads complete (a commit's writer, Redis's event loop) back to the
 * IO thread of each one's connection, which alone may write it. One commit completes many requests
 * at once: rather than a task of its own for each, and a wake-up of the IO thread's selector for
 * each while it sleeps, each IO thread has a queue of ready replies, and one task that writes all
 * of them is scheduled only when the queue goes from empty to not empty. Thread-safe.
 */
final class ReadyReplies {

  /**
   * Writes one IO thread's task at most this many replies before it lets the thread serve its
   * connections again, scheduling itself anew for the rest.
   */
  static final int MAX_WRITES_PER_TASK = 256;

  private static final FailureLog FAILURES =
      new FailureLog(
          System.getLogger(ReadyReplies.class.getName()),
          System.Logger.Level.ERROR,
          "Writing replies",
          Duration.ofSeconds(60));

  private final ConcurrentMap<XnioIoThread, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * Writes {@code reply} once it completes (or the error reply for what it failed with) on the
   * exchange's IO thread, with the request's ids in the log's context. Meanwhile the connection's
   * reads stay armed ({@link ConnectionReads}). From the exchange's IO thread or a worker.
   */
  void writeWhenDone(
      HttpServerExchange exchange,
      String requestId,
      Optional<Organization> organization,
      CompletableFuture<Reply> reply,
      String routeName) {
    ConnectionReads.keepArmed(exchange);
    reply.whenComplete(
        (done, failure) ->
            submit(
                exchange.getIoThread(),
                () ->
                    RequestLog.within(
                        exchange,
                        requestId,
                        organization,
                        () ->
                            ReplyWriter.write(
                                exchange,
                                requestId,
                                failure == null
                                    ? done
                                    : ErrorResponses.forFailure(failure, requestId, routeName)))));
  }

  /**
   * Runs {@code write} on {@code ioThread} soon, in the order given among the writes handed to that
   * thread; from any thread. Nothing runs if the IO thread has stopped (its connections are gone).
   */
  void submit(XnioIoThread ioThread, Runnable write) {
    Lane lane = lanes.get(ioThread);
    if (lane == null) {
      lane = lanes.computeIfAbsent(ioThread, Lane::new);
    }
    lane.add(write);
  }

  /** The ready replies of one IO thread, and its one task that writes them. */
  private static final class Lane implements Runnable {

    private final XnioIoThread ioThread;
    private final Queue<Runnable> writes = new ConcurrentLinkedQueue<>();

    /** True from when a task is handed to the IO thread until that task has begun. */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Lane(XnioIoThread ioThread) {
      this.ioThread = ioThread;
    }

    void add(Runnable write) {
      writes.add(write);
      schedule();
    }

    /** Hands the IO thread a task, unless one is waiting that will find what was just added. */
    private void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        try {
          ioThread.execute(this);
        } catch (RejectedExecutionException e) {
          // The IO thread is stopping and its connections with it: nobody is left to answer.
          writes.clear();
          scheduled.set(false);
        }
      }
    }

    /** On the IO thread. */
    @Override
    public void run() {
      // Cleared first, so that a write added from here on schedules a task of its own if this one
      // has already looked at the queue for the last time.
      scheduled.set(false);
      for (int i = 0; i < MAX_WRITES_PER_TASK; i++) {
        Runnable write = writes.poll();
        if (write == null) {
          return;
        }
        try {
          write.run();
        } catch (RuntimeException e) {
          // One reply that fails to be written must not keep the others from theirs.
          FAILURES.record(e);
        }
      }
      if (!writes.isEmpty()) {
        schedule();
      }
    }
  }
}

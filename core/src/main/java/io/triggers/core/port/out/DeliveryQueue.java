package io.triggers.core.port.out;

import io.triggers.core.model.EndpointId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hands delivery work to the webhook workers.
 *
 * <p>Thread-safe. The queue is a fast path, not the record: delivery state lives in the {@link
 * DeliveryLedger}, so a task lost here (full queue, crash, flushed Redis) is found again by a sweep
 * of due deliveries. A task taken but not completed is handed out again after a while (at least
 * once).
 */
public interface DeliveryQueue {

  /** Adds a task; never blocks. A full queue may drop it, which the sweep makes up for. */
  void enqueue(DeliveryTask task);

  /**
   * Adds each of the tasks, as {@link #enqueue} does; never blocks. An implementation that pays a
   * round trip per call adds them in one, which is why callers with several tasks at hand (an
   * event's fan-out, a page of a sweep) pass them together. A full queue may drop some of them.
   */
  default void enqueueAll(List<DeliveryTask> tasks) {
    tasks.forEach(this::enqueue);
  }

  /**
   * Says that the endpoint's tasks need not be queued before {@code until}: its node backs off from
   * it, its attempts having failed in a row, or is finding out whether it is back. Until then the
   * queue may drop the endpoint's tasks that fall due before that time when they are enqueued, so
   * that an endpoint that is down costs no queueing per event; their deliveries stay scheduled in
   * the ledger, and the sweep queues them once the time has passed. A later call replaces the hold,
   * and a time not after now ends it. A queue shared by nodes holds them back for every node. Never
   * blocks or throws. This default holds nothing back.
   */
  default void holdBack(EndpointId endpoint, Instant until) {}

  /**
   * Takes up to {@code max} tasks that are due, waiting up to {@code wait} for the first one.
   * Returns an empty list if none came.
   */
  List<DeliveryTask> take(int max, Duration wait) throws InterruptedException;

  /** Marks a taken task done, so it is not handed out again. Idempotent. */
  void complete(DeliveryTask task);

  /**
   * The wait of a {@link #take} in nanoseconds: none if negative, and about three centuries at
   * most, so that every implementation reads an extreme wait the same way.
   */
  static long waitNanos(Duration wait) {
    if (wait.isNegative()) {
      return 0;
    }
    return wait.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : wait.toNanos();
  }
}

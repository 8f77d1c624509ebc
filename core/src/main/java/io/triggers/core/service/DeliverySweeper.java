package io.triggers.core.service;

import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Refills the delivery queue from the event store, the record of every scheduled delivery: what a
 * full queue dropped, a flushed Redis forgot or a killed node was holding is found here again.
 *
 * <p>A sweep queues deliveries overdue by more than {@code grace}, which the queue should already
 * have handed out, so the tasks it holds in time are rarely queued twice (a task queued twice is
 * harmless: only one claim of a due attempt wins). A sweep queues at most {@code maxPerSweep} and
 * the next one carries on after the last of them, so a large backlog is walked through in turn
 * rather than its oldest part over and over. Not thread-safe: one caller sweeps at a time.
 */
public final class DeliverySweeper {

  private final EventStore store;
  private final DeliveryQueue queue;
  private final Clock clock;
  private final Duration grace;
  private final int pageSize;
  private final int maxPerSweep;
  private Optional<DeliveryTask> cursor = Optional.empty();

  public DeliverySweeper(
      EventStore store,
      DeliveryQueue queue,
      Clock clock,
      Duration grace,
      int pageSize,
      int maxPerSweep) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    if (pageSize < 1 || maxPerSweep < 1) {
      throw new IllegalArgumentException("pageSize and maxPerSweep must be at least 1");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.grace = grace;
    this.pageSize = pageSize;
    this.maxPerSweep = maxPerSweep;
  }

  /** Queues the next overdue deliveries; returns how many it queued. */
  public int sweep() {
    Instant dueBy = clock.instant().minus(grace);
    int queued = 0;
    while (queued < maxPerSweep) {
      int wanted = Math.min(pageSize, maxPerSweep - queued);
      List<DeliveryTask> page = store.dueDeliveries(dueBy, cursor, wanted);
      page.forEach(queue::enqueue);
      queued += page.size();
      if (page.size() < wanted) {
        // The end of what is due: the next sweep starts from the oldest again.
        cursor = Optional.empty();
        break;
      }
      cursor = Optional.of(page.getLast());
    }
    return queued;
  }
}

package io.triggers.core.memory;

import io.triggers.core.model.EndpointId;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded delivery queue in this process's memory, handing out tasks once they are due.
 *
 * <p>Holds at most {@code capacity} tasks, waiting or taken; enqueueing into a full queue, or a
 * task it already holds or {@link #holdBack holds back}, drops the task. A taken task that is not
 * completed within the visibility timeout is handed out again. Due times and timeouts follow the
 * clock; the wait of {@link #take} is real time.
 */
public final class InMemoryDeliveryQueue implements DeliveryQueue {

  private static final Comparator<Slot> BY_TIME =
      Comparator.comparing(Slot::at).thenComparingLong(Slot::sequence);

  private final Clock clock;
  private final int capacity;
  private final Duration visibilityTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final NavigableSet<Slot> waiting = new TreeSet<>(BY_TIME);
  private final NavigableSet<Slot> taken = new TreeSet<>(BY_TIME);
  private final Map<DeliveryTask, Slot> held = new HashMap<>();
  private final Map<EndpointId, Instant> heldBack = new HashMap<>();
  private long sequence;

  /**
   * Holds at most {@code capacity} tasks; a task taken and not completed is handed out again after
   * {@code visibilityTimeout}.
   */
  public InMemoryDeliveryQueue(Clock clock, int capacity, Duration visibilityTimeout) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    if (visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
      throw new IllegalArgumentException("visibilityTimeout must be positive");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.capacity = capacity;
    this.visibilityTimeout = visibilityTimeout;
  }

  @Override
  public void enqueue(DeliveryTask task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      if (held.containsKey(task) || held.size() >= capacity || isHeldBack(task)) {
        return;
      }
      Slot slot = new Slot(task.dueAt(), sequence++, task);
      waiting.add(slot);
      held.put(task, slot);
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the endpoint's tasks due before {@code until} when they are enqueued, until then;
   * replaces an earlier hold, and ends it if {@code until} is not after now.
   */
  @Override
  public void holdBack(EndpointId endpoint, Instant until) {
    lock.lock();
    try {
      if (until.isAfter(clock.instant())) {
        heldBack.put(endpoint, until);
      } else {
        heldBack.remove(endpoint);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<DeliveryTask> take(int max, Duration wait) throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    long remaining = DeliveryQueue.waitNanos(wait);
    lock.lockInterruptibly();
    try {
      while (true) {
        Instant now = clock.instant();
        List<DeliveryTask> tasks = takeDue(now, max);
        if (!tasks.isEmpty()) {
          if (!waiting.isEmpty() && !waiting.first().at().isAfter(now)) {
            changed.signal();
          }
          return tasks;
        }
        if (remaining <= 0) {
          return List.of();
        }
        long pause = pauseUntilNextChange(now, remaining);
        remaining -= pause - changed.awaitNanos(pause);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void complete(DeliveryTask task) {
    lock.lock();
    try {
      Slot slot = held.remove(task);
      if (slot != null) {
        // Also when its timeout already made it visible again: the work is done either way.
        taken.remove(slot);
        waiting.remove(slot);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the task falls due while its endpoint is held back; forgets a hold that ended. */
  private boolean isHeldBack(DeliveryTask task) {
    Instant until = heldBack.get(task.endpointId());
    if (until == null) {
      return false;
    }
    if (!clock.instant().isBefore(until)) {
      heldBack.remove(task.endpointId());
      return false;
    }
    return task.dueAt().isBefore(until);
  }

  private List<DeliveryTask> takeDue(Instant now, int max) {
    while (!taken.isEmpty() && !taken.first().at().isAfter(now)) {
      Slot expired = taken.pollFirst();
      Slot visible = new Slot(expired.task().dueAt(), sequence++, expired.task());
      waiting.add(visible);
      held.put(expired.task(), visible);
    }
    List<DeliveryTask> tasks = new ArrayList<>();
    while (tasks.size() < max && !waiting.isEmpty() && !waiting.first().at().isAfter(now)) {
      DeliveryTask task = waiting.pollFirst().task();
      Slot lease = new Slot(now.plus(visibilityTimeout), sequence++, task);
      taken.add(lease);
      held.put(task, lease);
      tasks.add(task);
    }
    return tasks;
  }

  /** Nanoseconds to sleep: until the next task falls due or lease runs out, within the wait. */
  private long pauseUntilNextChange(Instant now, long remaining) {
    long pause = remaining;
    for (NavigableSet<Slot> slots : List.of(waiting, taken)) {
      if (!slots.isEmpty()) {
        Duration untilNext = Duration.between(now, slots.first().at());
        if (untilNext.compareTo(Duration.ofNanos(pause)) < 0) {
          pause = Math.max(1, untilNext.toNanos());
        }
      }
    }
    return pause;
  }

  private record Slot(Instant at, long sequence, DeliveryTask task) {}
}

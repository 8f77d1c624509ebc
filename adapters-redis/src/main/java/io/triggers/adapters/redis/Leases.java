package io.triggers.adapters.redis;

import io.triggers.core.port.out.DeliveryTask;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** The stream entries behind each task the queue handed out, to acknowledge on completion. */
final class Leases {

  private final ConcurrentMap<DeliveryTask, Lease> leases = new ConcurrentHashMap<>();
  private final AtomicLong nextSweepNanos = new AtomicLong(System.nanoTime());
  private final long visibilityTimeoutNanos;

  Leases(Duration visibilityTimeout) {
    this.visibilityTimeoutNanos = visibilityTimeout.toNanos();
  }

  /** Remembers that the entry behind the task was handed out at {@code takenAtNanos}. */
  void add(DeliveryTask task, String entryId, long takenAtNanos) {
    leases.merge(
        task,
        new Lease(Set.of(entryId), takenAtNanos),
        (held, fresh) -> held.with(entryId, takenAtNanos));
  }

  /** Forgets the task's lease, returning its entries, or nothing if it holds none. */
  Optional<Set<String>> release(DeliveryTask task) {
    return Optional.ofNullable(leases.remove(task)).map(Lease::entryIds);
  }

  /**
   * Forgets leases of tasks taken long ago and never completed. Their entries were handed out again
   * after the visibility timeout anyway, so completing them late would only save a redelivery.
   */
  void forgetStale() {
    long now = System.nanoTime();
    long due = nextSweepNanos.get();
    if (now - due < 0 || !nextSweepNanos.compareAndSet(due, now + visibilityTimeoutNanos)) {
      return;
    }
    leases.values().removeIf(lease -> now - lease.takenAtNanos() > 2 * visibilityTimeoutNanos);
  }

  /** The stream entries behind one handed-out task (more than one if it was enqueued twice). */
  private record Lease(Set<String> entryIds, long takenAtNanos) {

    Lease with(String entryId, long takenAt) {
      Set<String> ids = new LinkedHashSet<>(entryIds);
      ids.add(entryId);
      return new Lease(Set.copyOf(ids), takenAt);
    }
  }
}

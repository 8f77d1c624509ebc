package io.triggers.core.delivery;

import io.triggers.core.model.EventId;
import io.triggers.core.model.FailureLog;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.in.DeliverWebhook.Chained;
import io.triggers.core.port.in.DeliverWebhook.Claimed;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a worker's attempts to one endpoint back to back: when an attempt has been made, the next
 * task of the endpoint's lane is handed off to the same worker, its claim written with the
 * attempt's result, and the worker sends it at once. So an attempt waits for one write to the
 * store, not a claim's and a result's.
 *
 * <p>The dispatcher owns the lanes and the queue: {@code handOff} takes the next task of the lane
 * of the task that is finishing (under the dispatcher's lock, as {@link DeliveryLanes#handOff}
 * says), {@code ended} takes back a task once its attempt is over, with its outcome if it had one
 * and how long it took. Every task taken is ended exactly once.
 */
final class LaneRuns {

  private final DeliverWebhook deliverWebhook;
  private final Function<DeliveryTask, Optional<DeliveryTask>> handOff;
  private final Ended ended;
  private final FailureLog failures;
  private final Runnable pause;

  LaneRuns(
      DeliverWebhook deliverWebhook,
      Function<DeliveryTask, Optional<DeliveryTask>> handOff,
      Ended ended,
      FailureLog failures,
      Runnable pause) {
    this.deliverWebhook = Objects.requireNonNull(deliverWebhook, "deliverWebhook");
    this.handOff = Objects.requireNonNull(handOff, "handOff");
    this.ended = Objects.requireNonNull(ended, "ended");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.pause = Objects.requireNonNull(pause, "pause");
  }

  /** Makes the attempt of {@code first}, then of each task handed off after it and claimed. */
  void run(DeliveryTask first) {
    DeliveryTask task = first;
    Optional<Claimed> claimed = Optional.empty();
    while (true) {
      HandedOff next = new HandedOff(task);
      long started = System.nanoTime();
      Optional<Chained> chained = attempt(task, claimed, next);
      ended.ended(
          task, chained.map(Chained::outcome), Duration.ofNanos(System.nanoTime() - started));
      if (next.taken.isEmpty()) {
        return;
      }
      claimed = chained.flatMap(Chained::next);
      if (claimed.isEmpty() || Thread.currentThread().isInterrupted()) {
        // Not won, or stopping: the delivery stays scheduled in the store for a later claim.
        ended.ended(next.taken.get(), Optional.empty(), Duration.ZERO);
        return;
      }
      task = next.taken.get();
    }
  }

  private Optional<Chained> attempt(DeliveryTask task, Optional<Claimed> claimed, HandedOff next) {
    try {
      return Optional.of(
          claimed.isEmpty()
              ? deliverWebhook.deliver(task.organization(), task.eventId(), task.endpointId(), next)
              : deliverWebhook.deliverClaimed(task.organization(), claimed.get(), next));
    } catch (StorageUnavailableException e) {
      // The store keeps the delivery scheduled; the sweep queues it again once the store is back.
      failures.record(e);
      pause.run();
    } catch (RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        failures.record(e);
      }
    }
    return Optional.empty();
  }

  /** Takes back a task whose attempt is over. */
  interface Ended {

    /** {@code task}'s attempt is over: its outcome, empty if it had none, and how long it took. */
    void ended(DeliveryTask task, Optional<DeliverWebhook.Outcome> outcome, Duration took);
  }

  /** Hands off the next task of the finishing task's lane when asked, and keeps it. */
  private final class HandedOff implements Supplier<Optional<EventId>> {
    private final DeliveryTask finishing;
    private Optional<DeliveryTask> taken = Optional.empty();

    HandedOff(DeliveryTask finishing) {
      this.finishing = finishing;
    }

    @Override
    public Optional<EventId> get() {
      if (taken.isEmpty()) {
        taken = handOff.apply(finishing);
      }
      return taken.map(DeliveryTask::eventId);
    }
  }
}

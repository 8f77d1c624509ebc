package io.triggers.core.delivery;

import io.triggers.core.model.FailureLog;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs webhook delivery in the background: takes due tasks from the {@link DeliveryQueue}, makes
 * each attempt ({@link DeliverWebhook}) on a virtual thread, queues the next attempt of a delivery
 * that is retrying, and every so often has the {@link DeliverySweeper} queue what the queue lost:
 * what is due before the tasks it took last and is not held here.
 *
 * <p><b>Fairness.</b> {@link DeliveryLanes} decides which task runs next: at most {@code
 * perOrganization} attempts to one endpoint run at once, and at most {@code overall} in all, so an
 * endpoint that is slow or dead holds up only its own deliveries. A task it drops leaves the queue
 * (its delivery stays scheduled in the store) and the sweep finds it again later. When {@code
 * backlog} tasks wait, taking pauses until some start. This class only runs the threads, and asks
 * the lanes and the breakers under its one lock; its intake, its sweep and its workers share one
 * lock, which is why they are one class. A worker whose attempt has been made goes on with the next
 * task of its endpoint's lane when no other lane waits for a slot, as {@link LaneRuns} describes.
 *
 * <p><b>Backing off.</b> An endpoint whose attempts keep failing is left alone for a cooldown, as
 * {@link EndpointBackoff} says: its waiting tasks are dropped, its tasks taken meanwhile too, the
 * sweep passes its deliveries by, and the queue is told to {@link DeliveryQueue#holdBack hold back}
 * its tasks, also while the first attempts after the cooldown tell whether it is back, so that an
 * endpoint that is down costs nothing per event. Its deliveries stay scheduled in the store, and
 * are attempted again once it answers.
 *
 * <p><b>Stopping</b> stops taking and sweeping, lets the attempts in flight finish within a grace
 * period and then interrupts them; the tasks still waiting are left to the sweep of the next start,
 * or to the visibility timeout of a shared queue.
 */
public final class WebhookDispatcher {

  private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());

  /** An outage fails every attempt, so each kind of failure is logged this often at most. */
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final DeliveryQueue queue;
  private final DeliverySweeper sweeper;
  private final DeliveryLimits limits;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomToTake = lock.newCondition();
  private final DeliveryLanes lanes;
  private final LaneRuns runs;
  private final EndpointBreakers breakers;
  private State state = State.NEW;

  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("triggers-webhook-", 0).factory());
  private final List<Thread> loops = new ArrayList<>();
  private final FailureLog takeFailures = failureLog("Taking delivery tasks");
  private final FailureLog deliveryFailures = failureLog("Delivering webhooks");
  private final FailureLog completionFailures = failureLog("Completing delivery tasks");
  private final FailureLog sweepFailures = failureLog("Sweeping due deliveries");

  /**
   * A dispatcher that takes tasks from {@code queue} and makes each attempt through {@code
   * deliverWebhook}, within {@code limits}, backing off from failing endpoints as {@code backoff}
   * says, by {@code clock}.
   */
  public WebhookDispatcher(
      DeliveryQueue queue,
      DeliverWebhook deliverWebhook,
      DeliverySweeper sweeper,
      DeliveryLimits limits,
      EndpointBackoff backoff,
      Clock clock) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.lanes = new DeliveryLanes(limits);
    this.breakers = new EndpointBreakers(Objects.requireNonNull(backoff, "backoff"), clock);
    this.runs =
        new LaneRuns(
            Objects.requireNonNull(deliverWebhook, "deliverWebhook"),
            this::handOff,
            this::ended,
            deliveryFailures,
            this::pause);
  }

  /** Starts taking tasks and sweeping; the first sweep runs at once. */
  public void start() {
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException("the dispatcher was already started");
      }
      state = State.RUNNING;
      loops.add(Thread.ofPlatform().name("triggers-webhook-intake").daemon().start(this::intake));
      loops.add(Thread.ofPlatform().name("triggers-webhook-sweep").daemon().start(this::sweeps));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops taking and sweeping, waits up to {@code grace} for the attempts in flight, then
   * interrupts those still running. Idempotent.
   */
  public void stop(Duration grace) {
    long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
    lock.lock();
    try {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
      // Waiting tasks are not completed: the queue or the next sweep hands them out again.
      lanes.drain();
      roomToTake.signalAll();
    } finally {
      lock.unlock();
    }
    loops.forEach(Thread::interrupt);
    workers.shutdown();
    try {
      for (Thread loop : loops) {
        loop.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
      if (!workers.awaitTermination(
          Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void intake() {
    while (awaitRoomToTake()) {
      List<DeliveryTask> tasks;
      try {
        tasks = queue.take(limits.takeBatch(), limits.takeWait());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        takeFailures.record(e);
        if (!pause()) {
          return;
        }
        continue;
      }
      admit(tasks);
    }
  }

  /** Waits while the lanes are full; false once stopped. */
  private boolean awaitRoomToTake() {
    lock.lock();
    try {
      while (state == State.RUNNING && !lanes.hasRoom()) {
        roomToTake.await();
      }
      return state == State.RUNNING;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts the tasks in their lanes, but for those of endpoints backed off from, and holds back the
   * tasks of an endpoint whose probe these start.
   */
  private void admit(List<DeliveryTask> tasks) {
    List<DeliveryTask> dropped;
    lock.lock();
    try {
      // Told under the lock, so that the queue learns of holds in the order they were decided.
      for (DeliveryTask task : tasks) {
        breakers
            .probing(task.endpointId())
            .ifPresent(until -> queue.holdBack(task.endpointId(), until));
      }
      // Once stopped, the drained lanes admit and drop nothing.
      dropped = lanes.admit(tasks, task -> breakers.isOpen(task.endpointId()));
      dispatch();
    } finally {
      lock.unlock();
    }
    dropped.forEach(this::complete);
  }

  /** Starts the tasks the lanes hand out while slots are free. Call under the lock. */
  private void dispatch() {
    Optional<DeliveryTask> next;
    while ((next = lanes.next()).isPresent()) {
      DeliveryTask task = next.orElseThrow();
      roomToTake.signal();
      workers.execute(() -> runs.run(task));
    }
  }

  /** Starts the next task of a finishing task's lane on its worker, as {@link LaneRuns} says. */
  private Optional<DeliveryTask> handOff(DeliveryTask finishing) {
    lock.lock();
    try {
      Optional<DeliveryTask> next = lanes.handOff(finishing);
      next.ifPresent(task -> roomToTake.signal());
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Takes back a task whose attempt is over, then queues the next attempt of a retrying one. */
  private void ended(DeliveryTask task, Optional<DeliverWebhook.Outcome> outcome, Duration took) {
    complete(task);
    finished(task, outcome, took);
    // Queued only once the event is no longer held here, or the task would be taken as a repeat.
    if (outcome.orElse(null) instanceof DeliverWebhook.Outcome.Retrying retrying) {
      queue.enqueue(
          new DeliveryTask(
              task.organization(),
              task.eventId(),
              task.endpointId(),
              retrying.delivery().nextAttemptAt().orElseThrow()));
    }
  }

  /**
   * Frees the task's slots, drops what its lane no longer keeps waiting, and tells the breakers how
   * the attempt went: if that opened its endpoint's breaker, its lane's tasks are dropped too; if
   * it opened or closed it, the queue learns until when to hold the endpoint's tasks back.
   */
  private void finished(
      DeliveryTask task, Optional<DeliverWebhook.Outcome> outcome, Duration took) {
    List<DeliveryTask> dropped = new ArrayList<>();
    lock.lock();
    try {
      dropped.addAll(lanes.finished(task, outcome.map(any -> took)));
      breakers
          .record(task.endpointId(), outcome)
          .ifPresent(until -> queue.holdBack(task.endpointId(), until));
      if (breakers.isOpen(task.endpointId())) {
        dropped.addAll(lanes.dropWaiting(task));
      }
      dispatch();
    } finally {
      lock.unlock();
    }
    dropped.forEach(this::complete);
  }

  /** How many endpoints this node backs off from now, their attempts having failed in a row. */
  public int endpointsBackedOff() {
    return locked(breakers::openCount);
  }

  private void complete(DeliveryTask task) {
    try {
      queue.complete(task);
    } catch (RuntimeException e) {
      completionFailures.record(e);
    }
  }

  private void sweeps() {
    while (locked(() -> state == State.RUNNING)) {
      try {
        sweepUnlessFull();
      } catch (RuntimeException e) {
        sweepFailures.record(e);
      }
      try {
        Thread.sleep(limits.sweepInterval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Sweeps, unless the lanes are full: then the intake waits, what a sweep queued would only wait
   * behind what the lanes hold, and the sweep would read every delivery they hold again, each
   * interval, to skip it. The first sweep once there is room catches up.
   */
  private void sweepUnlessFull() {
    if (locked(lanes::hasRoom)) {
      sweeper.sweep(
          locked(lanes::lastTakeDueBy),
          task -> locked(() -> lanes.holds(task) || breakers.isOpen(task.endpointId())));
    }
  }

  /** Reads the lanes or the state under the lock, for the sweep loop. */
  private <T> T locked(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  /** Backs off after a failure of the store or the queue; false if interrupted. */
  private boolean pause() {
    try {
      Thread.sleep(limits.failurePause());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static FailureLog failureLog(String what) {
    return new FailureLog(LOG, Level.WARNING, what, FAILURE_LOG_INTERVAL);
  }

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }
}

package io.triggers.core.service;

import io.triggers.core.model.EventId;
import io.triggers.core.model.FailureLog;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs webhook delivery in the background: takes due tasks from the {@link DeliveryQueue}, makes
 * each attempt ({@link DeliverWebhook}) on a virtual thread, queues the next attempt of a delivery
 * that is retrying, and every so often has the {@link DeliverySweeper} queue what the queue lost:
 * what is due before the tasks it took last and is not held here.
 *
 * <p><b>Fairness.</b> At most {@code perOrganization} attempts of one organization run at once, and
 * at most {@code overall} in all. An organization's further tasks wait in its own lane, and free
 * slots go to the lanes in turn, so an organization whose endpoint is slow or dead holds up only
 * its own deliveries. A lane holds at most {@code backlogPerOrganization} tasks; a task beyond that
 * is dropped from the queue (its delivery stays scheduled in the store) and the sweep finds it
 * again later. When {@code backlog} tasks wait in all lanes, taking pauses until some start.
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
  private final DeliverWebhook deliverWebhook;
  private final DeliverySweeper sweeper;
  private final Limits limits;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomToTake = lock.newCondition();
  private final Map<OrganizationId, Lane> lanes = new HashMap<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private final Set<EventId> held = new HashSet<>();
  private int waiting;
  private int inFlight;
  private Optional<Instant> queuePassed = Optional.empty();
  private State state = State.NEW;

  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("triggers-webhook-", 0).factory());
  private final List<Thread> loops = new ArrayList<>();
  private final FailureLog takeFailures = failureLog("Taking delivery tasks");
  private final FailureLog deliveryFailures = failureLog("Delivering webhooks");
  private final FailureLog completionFailures = failureLog("Completing delivery tasks");
  private final FailureLog sweepFailures = failureLog("Sweeping due deliveries");

  public WebhookDispatcher(
      DeliveryQueue queue, DeliverWebhook deliverWebhook, DeliverySweeper sweeper, Limits limits) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.deliverWebhook = Objects.requireNonNull(deliverWebhook, "deliverWebhook");
    this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
    this.limits = Objects.requireNonNull(limits, "limits");
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
      for (Lane lane : lanes.values()) {
        lane.tasks.forEach(task -> held.remove(task.eventId()));
        waiting -= lane.tasks.size();
        lane.tasks.clear();
      }
      ready.clear();
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
      while (state == State.RUNNING && waiting >= limits.backlog()) {
        roomToTake.await();
      }
      return state == State.RUNNING;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void admit(List<DeliveryTask> tasks) {
    List<DeliveryTask> dropped = new ArrayList<>();
    lock.lock();
    try {
      queuePassed = tasks.stream().map(DeliveryTask::dueAt).max(Comparator.naturalOrder());
      for (DeliveryTask task : tasks) {
        if (state != State.RUNNING) {
          break;
        }
        Lane lane = lanes.computeIfAbsent(task.organization(), organization -> new Lane());
        // A task for an event already on its way here (a sweep or a redelivery queued it again),
        // or one beyond the lane's bound, leaves the queue; the store still has it scheduled.
        if (held.contains(task.eventId()) || lane.tasks.size() >= limits.backlogPerOrganization()) {
          dropped.add(task);
          forgetIfIdle(task.organization(), lane);
          continue;
        }
        held.add(task.eventId());
        lane.tasks.add(task);
        waiting++;
        markReady(lane);
      }
      dispatch();
    } finally {
      lock.unlock();
    }
    dropped.forEach(this::complete);
  }

  /** Starts waiting tasks, lane by lane in turn, while slots are free. Call under the lock. */
  private void dispatch() {
    while (state == State.RUNNING && inFlight < limits.overall() && !ready.isEmpty()) {
      Lane lane = ready.poll();
      lane.ready = false;
      DeliveryTask task = lane.tasks.poll();
      waiting--;
      lane.inFlight++;
      inFlight++;
      markReady(lane);
      roomToTake.signal();
      workers.execute(() -> attempt(task, lane));
    }
  }

  /** Puts the lane in line for a slot if it has tasks waiting and a slot of its own free. */
  private void markReady(Lane lane) {
    if (!lane.ready && !lane.tasks.isEmpty() && lane.inFlight < limits.perOrganization()) {
      lane.ready = true;
      ready.add(lane);
    }
  }

  private void attempt(DeliveryTask task, Lane lane) {
    DeliverWebhook.Outcome outcome = null;
    try {
      outcome = deliverWebhook.deliver(task.organization(), task.eventId());
    } catch (StorageUnavailableException e) {
      // The store keeps the delivery scheduled; the sweep queues it again once the store is back.
      deliveryFailures.record(e);
      pause();
    } catch (RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        deliveryFailures.record(e);
      }
    } finally {
      complete(task);
      finished(task, lane);
    }
    // Queued only once the event is no longer held here, or the task would be taken as a repeat.
    if (outcome instanceof DeliverWebhook.Outcome.Retrying retrying) {
      queue.enqueue(
          new DeliveryTask(
              task.organization(),
              task.eventId(),
              retrying.delivery().nextAttemptAt().orElseThrow()));
    }
  }

  private void finished(DeliveryTask task, Lane lane) {
    lock.lock();
    try {
      held.remove(task.eventId());
      lane.inFlight--;
      inFlight--;
      markReady(lane);
      forgetIfIdle(task.organization(), lane);
      dispatch();
    } finally {
      lock.unlock();
    }
  }

  private void forgetIfIdle(OrganizationId organization, Lane lane) {
    if (lane.tasks.isEmpty() && lane.inFlight == 0) {
      lanes.remove(organization, lane);
    }
  }

  private void complete(DeliveryTask task) {
    try {
      queue.complete(task);
    } catch (RuntimeException e) {
      completionFailures.record(e);
    }
  }

  private void sweeps() {
    while (isRunning()) {
      try {
        sweeper.sweep(queuePassed(), this::holds);
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

  /** The latest due time among the tasks of the last take, empty if it brought none. */
  private Optional<Instant> queuePassed() {
    lock.lock();
    try {
      return queuePassed;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the event's task is waiting in a lane or being attempted here. */
  private boolean holds(EventId id) {
    lock.lock();
    try {
      return held.contains(id);
    } finally {
      lock.unlock();
    }
  }

  private boolean isRunning() {
    lock.lock();
    try {
      return state == State.RUNNING;
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

  /**
   * How much the dispatcher does at once: attempts in flight per organization and in all, tasks
   * waiting per organization and in all, tasks taken from the queue at once and how long to wait
   * for them, how often to sweep, and how long to back off after the store or queue failed.
   */
  public record Limits(
      int perOrganization,
      int overall,
      int backlogPerOrganization,
      int backlog,
      int takeBatch,
      Duration takeWait,
      Duration sweepInterval,
      Duration failurePause) {

    public Limits {
      if (perOrganization < 1 || overall < perOrganization) {
        throw new IllegalArgumentException(
            "perOrganization must be at least 1 and overall at least perOrganization");
      }
      if (backlogPerOrganization < 1 || backlog < backlogPerOrganization) {
        throw new IllegalArgumentException(
            "backlogPerOrganization must be at least 1 and backlog at least that");
      }
      if (takeBatch < 1) {
        throw new IllegalArgumentException("takeBatch must be at least 1");
      }
      for (Duration duration : List.of(takeWait, sweepInterval, failurePause)) {
        if (duration.isNegative() || duration.isZero()) {
          throw new IllegalArgumentException("waits and intervals must be positive");
        }
      }
    }

    /**
     * Four attempts per organization and 512 in all; 1,000 tasks waiting per organization and
     * 20,000 in all; take up to 256 tasks at once, waiting up to a second; sweep every two seconds;
     * back off a second after a failure.
     */
    public static Limits standard() {
      return new Limits(
          4,
          512,
          1_000,
          20_000,
          256,
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(1));
    }
  }

  /** One organization's waiting tasks and attempts in flight; guarded by the lock. */
  private static final class Lane {
    final ArrayDeque<DeliveryTask> tasks = new ArrayDeque<>();
    int inFlight;
    boolean ready;
  }

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }
}

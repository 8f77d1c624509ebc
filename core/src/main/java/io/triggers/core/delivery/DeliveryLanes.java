package io.triggers.core.delivery;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryTask;
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
import java.util.function.Predicate;

/**
 * Decides which delivery task runs next, fairly between endpoints: each endpoint's tasks wait in
 * its own lane, and free slots go to the lanes in turn, so a slow endpoint delays only itself.
 *
 * <p>At most {@code perOrganization} tasks of one endpoint are in flight at once (the limit is
 * named after the webhook of old, one per organization), and at most {@code overall} in all. A lane
 * holds at most {@code backlogPerOrganization} waiting tasks, and once its attempts have taken
 * time, no more than it works off in {@link #WORK_AHEAD} (at least {@code perOrganization}); a task
 * beyond that, or a repeat of a delivery already held here, is dropped, which leaves its delivery
 * scheduled in the store for a later sweep. So a slow endpoint holds a few of the waiting places,
 * not a thousand, and slow endpoints cannot fill them all. There is room to take more while fewer
 * than {@code backlog} tasks wait in all lanes. A lane with nothing waiting and nothing in flight
 * is forgotten.
 *
 * <p>Holds no thread, lock or clock: not thread-safe, its owner calls it under one lock.
 */
final class DeliveryLanes {

  /** How much work a lane keeps waiting, in time its attempts are expected to take. */
  static final Duration WORK_AHEAD = Duration.ofSeconds(10);

  private final int perOrganization;
  private final int overall;
  private final int backlogPerOrganization;
  private final int backlog;

  private final Map<LaneKey, Lane> lanes = new HashMap<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private final Set<DeliveryKey> held = new HashSet<>();
  private int waiting;
  private int inFlight;
  private Optional<Instant> lastTakeDueBy = Optional.empty();
  private boolean drained;

  DeliveryLanes(DeliveryLimits limits) {
    Objects.requireNonNull(limits, "limits");
    this.perOrganization = limits.perOrganization();
    this.overall = limits.overall();
    this.backlogPerOrganization = limits.backlogPerOrganization();
    this.backlog = limits.backlog();
  }

  /**
   * Records one take from the queue and puts its tasks in their lanes, but for those {@code
   * refused}; returns the tasks dropped, which the caller completes on the queue. Once drained,
   * admits and drops nothing.
   */
  List<DeliveryTask> admit(List<DeliveryTask> tasks, Predicate<DeliveryTask> refused) {
    lastTakeDueBy = tasks.stream().map(DeliveryTask::dueAt).max(Comparator.naturalOrder());
    List<DeliveryTask> dropped = new ArrayList<>();
    if (drained) {
      return dropped;
    }
    for (DeliveryTask task : tasks) {
      if (refused.test(task)) {
        dropped.add(task);
        continue;
      }
      Lane lane = lanes.computeIfAbsent(LaneKey.of(task), key -> new Lane());
      // A task for a delivery already on its way here (a sweep or a redelivery queued it again),
      // or one beyond the lane's bound, leaves the queue; the store still has it scheduled.
      if (held.contains(DeliveryKey.of(task)) || lane.tasks.size() >= bound(lane)) {
        dropped.add(task);
        forgetIfIdle(LaneKey.of(task), lane);
        continue;
      }
      held.add(DeliveryKey.of(task));
      lane.tasks.add(task);
      waiting++;
      markReady(lane);
    }
    return dropped;
  }

  /**
   * Starts the next waiting task, taken from the lanes in turn, if a slot is free overall and in
   * its lane; the task stays held until {@link #finished}.
   */
  Optional<DeliveryTask> next() {
    if (inFlight >= overall || ready.isEmpty()) {
      return Optional.empty();
    }
    Lane lane = ready.poll();
    lane.ready = false;
    DeliveryTask task = lane.tasks.poll();
    waiting--;
    lane.inFlight++;
    inFlight++;
    markReady(lane);
    return Optional.of(task);
  }

  /**
   * Takes back a task that {@link #next} started, freeing its slots and its delivery, and learns
   * how long its attempt {@code took}, if it made one; returns the waiting tasks of its lane that
   * are now beyond the lane's bound, which the caller completes on the queue.
   */
  List<DeliveryTask> finished(DeliveryTask task, Optional<Duration> took) {
    Lane lane = lanes.get(LaneKey.of(task));
    if (lane == null || lane.inFlight == 0 || !held.remove(DeliveryKey.of(task))) {
      throw new IllegalStateException("the task was not started here: " + task);
    }
    lane.inFlight--;
    inFlight--;
    took.ifPresent(
        duration ->
            lane.averageNanos =
                lane.averageNanos == 0
                    ? Math.max(1, duration.toNanos())
                    : lane.averageNanos + (duration.toNanos() - lane.averageNanos) / 8);
    List<DeliveryTask> beyond = dropWaiting(lane, bound(lane));
    markReady(lane);
    forgetIfIdle(LaneKey.of(task), lane);
    return beyond;
  }

  /**
   * Drops every task waiting in {@code ofLane}'s lane, for an endpoint this node backs off from;
   * returns them, for the caller to complete on the queue. Tasks in flight stay held.
   */
  List<DeliveryTask> dropWaiting(DeliveryTask ofLane) {
    Lane lane = lanes.get(LaneKey.of(ofLane));
    if (lane == null) {
      return List.of();
    }
    List<DeliveryTask> dropped = dropWaiting(lane, 0);
    forgetIfIdle(LaneKey.of(ofLane), lane);
    return dropped;
  }

  /** Whether fewer than {@code backlog} tasks wait, so the owner may take more from the queue. */
  boolean hasRoom() {
    return waiting < backlog;
  }

  /** Whether the delivery's task is waiting in a lane or in flight. */
  boolean holds(DeliveryTask task) {
    return held.contains(DeliveryKey.of(task));
  }

  /** The latest due time among the tasks of the last take, empty if it brought none. */
  Optional<Instant> lastTakeDueBy() {
    return lastTakeDueBy;
  }

  /** Counts lanes, so a test can see idle ones forgotten. */
  int laneCount() {
    return lanes.size();
  }

  /**
   * Empties every lane and admits nothing more, for a stop; returns the tasks that were waiting.
   * Tasks in flight stay held until they finish.
   */
  List<DeliveryTask> drain() {
    drained = true;
    List<DeliveryTask> drainedTasks = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      lane.tasks.forEach(task -> held.remove(DeliveryKey.of(task)));
      waiting -= lane.tasks.size();
      drainedTasks.addAll(lane.tasks);
      lane.tasks.clear();
      lane.ready = false;
    }
    ready.clear();
    lanes.values().removeIf(lane -> lane.inFlight == 0);
    return drainedTasks;
  }

  /** How many tasks the lane may hold waiting: what it works off in {@link #WORK_AHEAD}. */
  private int bound(Lane lane) {
    if (lane.averageNanos == 0) {
      return backlogPerOrganization;
    }
    long workedOff = WORK_AHEAD.toNanos() / lane.averageNanos * perOrganization;
    return Math.clamp(workedOff, perOrganization, backlogPerOrganization);
  }

  /** Drops the lane's newest waiting tasks until at most {@code keep} wait; returns them. */
  private List<DeliveryTask> dropWaiting(Lane lane, int keep) {
    List<DeliveryTask> dropped = new ArrayList<>();
    while (lane.tasks.size() > keep) {
      DeliveryTask task = lane.tasks.pollLast();
      held.remove(DeliveryKey.of(task));
      waiting--;
      dropped.add(task);
    }
    if (lane.tasks.isEmpty() && lane.ready) {
      ready.remove(lane);
      lane.ready = false;
    }
    return dropped;
  }

  /** Puts the lane in line for a slot if it has tasks waiting and a slot of its own free. */
  private void markReady(Lane lane) {
    if (!lane.ready && !lane.tasks.isEmpty() && lane.inFlight < perOrganization) {
      lane.ready = true;
      ready.add(lane);
    }
  }

  private void forgetIfIdle(LaneKey key, Lane lane) {
    if (lane.tasks.isEmpty() && lane.inFlight == 0) {
      lanes.remove(key, lane);
    }
  }

  /** Whose tasks share a lane: one endpoint's. */
  private record LaneKey(OrganizationId organization, EndpointId endpoint) {
    static LaneKey of(DeliveryTask task) {
      return new LaneKey(task.organization(), task.endpointId());
    }
  }

  /** One delivery: an event to one endpoint. */
  private record DeliveryKey(EventId event, EndpointId endpoint) {
    static DeliveryKey of(DeliveryTask task) {
      return new DeliveryKey(task.eventId(), task.endpointId());
    }
  }

  /** One endpoint's waiting tasks and tasks in flight, and how long its attempts take. */
  private static final class Lane {
    final ArrayDeque<DeliveryTask> tasks = new ArrayDeque<>();
    int inFlight;
    boolean ready;
    long averageNanos;
  }

  /**
   * Starts the next waiting task of {@code finishing}'s lane, if no other lane waits for a slot:
   * the slot {@code finishing} frees when it {@link #finished finishes} would go to that task
   * anyway. {@code finishing} must have made its request, so that while both count as in flight,
   * the lane's one more than its limit is a result being recorded, not a request. Empty once
   * drained.
   */
  Optional<DeliveryTask> handOff(DeliveryTask finishing) {
    Lane lane = lanes.get(LaneKey.of(finishing));
    if (lane == null || !held.contains(DeliveryKey.of(finishing)) || lane.inFlight == 0) {
      throw new IllegalStateException("the task was not started here: " + finishing);
    }
    if (!ready.isEmpty() || lane.tasks.isEmpty()) {
      return Optional.empty();
    }
    DeliveryTask task = lane.tasks.poll();
    waiting--;
    lane.inFlight++;
    inFlight++;
    return Optional.of(task);
  }
}

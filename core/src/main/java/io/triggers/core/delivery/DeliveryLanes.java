package io.triggers.core.delivery;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryTask;
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

/**
 * Decides which delivery task runs next, fairly between endpoints: each endpoint's tasks wait in
 * its own lane, and free slots go to the lanes in turn, so a slow endpoint delays only itself.
 *
 * <p>At most {@code perOrganization} tasks of one endpoint are in flight at once (the limit is
 * named after the webhook of old, one per organization), and at most {@code overall} in all. A lane
 * holds at most {@code backlogPerOrganization} waiting tasks; a task beyond that, or a repeat of a
 * delivery already held here, is dropped, which leaves its delivery scheduled in the store for a
 * later sweep. A lane with nothing waiting and nothing in flight is forgotten.
 *
 * <p>At most {@code backlog} tasks wait in all lanes, and that bound is shared fairly: a handful of
 * stalled endpoints with long backlogs must not fill it and shut out an endpoint that answers. So
 * when {@code backlog} tasks wait, a task is admitted only if its lane holds fewer than its fair
 * share ({@code backlog} divided by the number of lanes) and at least two fewer than the longest
 * lane: it then evicts the newest waiting task of the longest lane, which is dropped like any other
 * (the sweep finds it again). Each eviction moves one task from the longest lane to a shorter one,
 * so the lanes even out and a fast endpoint, whose lane stays short, is always let in. The owner
 * therefore keeps taking while the lanes are full; {@link #worthQueueing} tells its sweep which
 * overdue deliveries would be admitted now, so that what a full lane would drop is not queued again
 * and again.
 *
 * <p>Holds no thread, lock or clock: not thread-safe, its owner calls it under one lock.
 */
final class DeliveryLanes {

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

  private final LaneLengths lengths;

  /** The lane last found to be the longest, looked at first when evicting again. */
  private Lane lastLongest;

  DeliveryLanes(DeliveryLimits limits) {
    Objects.requireNonNull(limits, "limits");
    this.perOrganization = limits.perOrganization();
    this.overall = limits.overall();
    this.backlogPerOrganization = limits.backlogPerOrganization();
    this.backlog = limits.backlog();
    this.lengths = new LaneLengths(backlogPerOrganization);
  }

  /**
   * Records one take from the queue and puts its tasks in their lanes; returns the tasks dropped or
   * evicted, which the caller completes on the queue. Once drained, admits and drops nothing.
   */
  List<DeliveryTask> admit(List<DeliveryTask> tasks) {
    lastTakeDueBy = tasks.stream().map(DeliveryTask::dueAt).max(Comparator.naturalOrder());
    List<DeliveryTask> dropped = new ArrayList<>();
    if (drained) {
      return dropped;
    }
    for (DeliveryTask task : tasks) {
      Lane lane = lanes.computeIfAbsent(LaneKey.of(task), key -> new Lane());
      // A task for a delivery already on its way here (a sweep or a redelivery queued it again),
      // or one beyond the lane's bound or its share, leaves the queue; the store still has it
      // scheduled.
      if (held.contains(DeliveryKey.of(task))
          || lane.tasks.size() >= backlogPerOrganization
          || (waiting >= backlog && !mayEvictFor(lane.tasks.size()))) {
        dropped.add(task);
        forgetIfIdle(LaneKey.of(task), lane);
        continue;
      }
      if (waiting >= backlog) {
        dropped.add(evictFromLongest());
      }
      held.add(DeliveryKey.of(task));
      lane.tasks.add(task);
      lengths.resized(lane.tasks.size() - 1, lane.tasks.size());
      waiting++;
      markReady(lane);
    }
    return dropped;
  }

  /**
   * Of a page of due deliveries, those whose tasks this would admit now, in order: neither held
   * here nor bound for a lane that is full or over its share. The page's own tasks count as
   * admitted against the room left in all lanes, not against their lanes' bounds.
   */
  List<DeliveryTask> worthQueueing(List<DeliveryTask> page) {
    List<DeliveryTask> worth = new ArrayList<>();
    int room = backlog - waiting;
    for (DeliveryTask task : page) {
      if (held.contains(DeliveryKey.of(task))) {
        continue;
      }
      Lane lane = lanes.get(LaneKey.of(task));
      int length = lane == null ? 0 : lane.tasks.size();
      if (length >= backlogPerOrganization) {
        continue;
      }
      if (room > 0) {
        room--;
        worth.add(task);
      } else if (mayEvictFor(length)) {
        worth.add(task);
      }
    }
    return worth;
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
    lengths.resized(lane.tasks.size() + 1, lane.tasks.size());
    waiting--;
    lane.inFlight++;
    inFlight++;
    markReady(lane);
    return Optional.of(task);
  }

  /** Takes back a task that {@link #next} started, freeing its slots and its delivery. */
  void finished(DeliveryTask task) {
    Lane lane = lanes.get(LaneKey.of(task));
    if (lane == null || lane.inFlight == 0 || !held.remove(DeliveryKey.of(task))) {
      throw new IllegalStateException("the task was not started here: " + task);
    }
    lane.inFlight--;
    inFlight--;
    markReady(lane);
    forgetIfIdle(LaneKey.of(task), lane);
  }

  /**
   * Whether fewer than {@code backlog} tasks wait. While none does, a sweep would mostly find
   * deliveries that the lanes hold or would drop.
   */
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
    lengths.clear();
    lastLongest = null;
    return drainedTasks;
  }

  /**
   * Whether, with every waiting place taken, a task of a lane of {@code length} waiting tasks may
   * take the place of the longest lane's newest: its lane is below its fair share, and the move
   * makes the lanes more even rather than swapping one lane's task for another's.
   */
  private boolean mayEvictFor(int length) {
    int fairShare = backlog / Math.max(1, lanes.size());
    return length < fairShare && lengths.longest() >= length + 2;
  }

  /** Removes and returns the newest waiting task of a longest lane, which keeps at least one. */
  private DeliveryTask evictFromLongest() {
    Lane victim = lastLongest;
    if (victim == null || victim.tasks.size() != lengths.longest()) {
      victim =
          lanes.values().stream()
              .filter(lane -> lane.tasks.size() == lengths.longest())
              .findFirst()
              .orElseThrow();
      lastLongest = victim;
    }
    DeliveryTask evicted = victim.tasks.pollLast();
    lengths.resized(victim.tasks.size() + 1, victim.tasks.size());
    held.remove(DeliveryKey.of(evicted));
    waiting--;
    return evicted;
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

  /** One endpoint's waiting tasks and tasks in flight. */
  private static final class Lane {
    final ArrayDeque<DeliveryTask> tasks = new ArrayDeque<>();
    int inFlight;
    boolean ready;
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
    lengths.resized(lane.tasks.size() + 1, lane.tasks.size());
    waiting--;
    lane.inFlight++;
    inFlight++;
    return Optional.of(task);
  }
}

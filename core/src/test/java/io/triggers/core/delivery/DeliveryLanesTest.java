package io.triggers.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryLanesTest {

  private static final Instant DUE = Instant.parse("2026-01-01T00:00:00Z");

  private final Fixtures fixtures = new Fixtures(new MutableClock());
  private final OrganizationId alpha = fixtures.organization().id();
  private final OrganizationId beta = fixtures.organization().id();
  private final OrganizationId gamma = fixtures.organization().id();

  @Test
  void servesTheLanesInTurn() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(4, 100, 100, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 3);
    List<DeliveryTask> betas = tasks(beta, 3);
    List<DeliveryTask> taken = new ArrayList<>(alphas);
    taken.addAll(betas);

    // when
    assertThat(lanes.admit(taken, task -> false)).isEmpty();

    // then
    assertThat(startAll(lanes))
        .containsExactly(
            alphas.get(0), betas.get(0), alphas.get(1), betas.get(1), alphas.get(2), betas.get(2));
  }

  @Test
  void givesEachEndpointOfAnOrganizationItsOwnSlots() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    DeliveryTask first = task(alpha);
    DeliveryTask sameEventElsewhere =
        new DeliveryTask(alpha, first.eventId(), fixtures.ids().newEndpointId(), DUE);
    DeliveryTask secondToFirst = task(alpha);

    // when
    List<DeliveryTask> dropped =
        lanes.admit(List.of(first, sameEventElsewhere, secondToFirst), task -> false);

    // then
    assertThat(dropped).isEmpty();
    assertThat(startAll(lanes)).containsExactly(first, sameEventElsewhere);
    assertThat(lanes.holds(secondToFirst)).isTrue();
  }

  @Test
  void startsNoMoreThanPerOrganizationOfOneOrganizationAtOnce() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(2, 100, 100, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 3);
    DeliveryTask other = task(beta);
    List<DeliveryTask> taken = new ArrayList<>(alphas);
    taken.add(other);
    lanes.admit(taken, task -> false);

    // when
    List<DeliveryTask> started = startAll(lanes);

    // then
    assertThat(started).containsExactly(alphas.get(0), other, alphas.get(1));
    lanes.finished(alphas.get(0), Optional.empty());
    assertThat(startAll(lanes)).containsExactly(alphas.get(2));
  }

  @Test
  void startsNoMoreThanOverallInAllAtOnce() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(2, 2, 100, 1_000));
    DeliveryTask first = task(alpha);
    DeliveryTask second = task(beta);
    DeliveryTask third = task(gamma);
    lanes.admit(List.of(first, second, third), task -> false);

    // when
    List<DeliveryTask> started = startAll(lanes);

    // then
    assertThat(started).containsExactly(first, second);
    lanes.finished(second, Optional.empty());
    assertThat(startAll(lanes)).containsExactly(third);
  }

  @Test
  void dropsARepeatOfAnEventWaitingOrInFlight() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    DeliveryTask waiting = task(alpha);
    DeliveryTask inFlight = task(alpha);
    lanes.admit(List.of(inFlight, waiting), task -> false);
    assertThat(lanes.next()).contains(inFlight);
    DeliveryTask waitingAgain = repeat(waiting);
    DeliveryTask inFlightAgain = repeat(inFlight);

    // when
    List<DeliveryTask> dropped = lanes.admit(List.of(waitingAgain, inFlightAgain), task -> false);

    // then
    assertThat(dropped).containsExactly(waitingAgain, inFlightAgain);
    assertThat(lanes.holds(waiting)).isTrue();
    assertThat(lanes.holds(inFlight)).isTrue();
  }

  @Test
  void admitsAnEventAgainOnceItsTaskFinished() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    DeliveryTask first = task(alpha);
    lanes.admit(List.of(first), task -> false);
    lanes.next();
    lanes.finished(first, Optional.empty());

    // when
    DeliveryTask retry = repeat(first);
    List<DeliveryTask> dropped = lanes.admit(List.of(retry), task -> false);

    // then
    assertThat(dropped).isEmpty();
    assertThat(lanes.next()).contains(retry);
  }

  @Test
  void dropsTasksBeyondTheBacklogOfTheirOwnLaneOnly() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 2, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 3);
    DeliveryTask other = task(beta);
    List<DeliveryTask> taken = new ArrayList<>(alphas);
    taken.add(other);

    // when
    List<DeliveryTask> dropped = lanes.admit(taken, task -> false);

    // then
    assertThat(dropped).containsExactly(alphas.get(2));
    assertThat(lanes.holds(alphas.get(2))).isFalse();
    assertThat(lanes.holds(other)).isTrue();
  }

  @Test
  void countsOnlyWaitingTasksAgainstTheLanesBacklog() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 2, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 2);
    lanes.admit(alphas, task -> false);
    lanes.next();

    // when
    DeliveryTask third = task(alpha);
    DeliveryTask fourth = task(alpha);
    List<DeliveryTask> dropped = lanes.admit(List.of(third, fourth), task -> false);

    // then
    assertThat(dropped).containsExactly(fourth);
  }

  @Test
  void hasRoomWhileFewerThanBacklogTasksWaitInAllLanes() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 2, 3));
    assertThat(lanes.hasRoom()).isTrue();

    // when
    lanes.admit(List.of(task(alpha), task(alpha), task(beta)), task -> false);

    // then
    assertThat(lanes.hasRoom()).isFalse();
    lanes.next();
    assertThat(lanes.hasRoom()).isTrue();
  }

  @Test
  void forgetsALaneWithNothingWaitingAndNothingInFlight() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    DeliveryTask first = task(alpha);
    DeliveryTask second = task(alpha);
    lanes.admit(List.of(first, second), task -> false);
    lanes.next();

    // when
    lanes.finished(first, Optional.empty());
    int whileWaiting = lanes.laneCount();
    lanes.next();
    int whileInFlight = lanes.laneCount();
    lanes.finished(second, Optional.empty());

    // then
    assertThat(whileWaiting).isEqualTo(1);
    assertThat(whileInFlight).isEqualTo(1);
    assertThat(lanes.laneCount()).isZero();
  }

  @Test
  void remembersTheLatestDueTimeOfTheLastTakeDroppedTasksIncluded() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 1, 1_000));
    assertThat(lanes.lastTakeDueBy()).isEmpty();
    DeliveryTask early = task(alpha, DUE);
    DeliveryTask dropped = task(alpha, DUE.plusSeconds(60));
    DeliveryTask middle = task(beta, DUE.plusSeconds(30));

    // when
    lanes.admit(List.of(early, dropped, middle), task -> false);

    // then
    assertThat(lanes.lastTakeDueBy()).contains(DUE.plusSeconds(60));
    lanes.admit(List.of(), task -> false);
    assertThat(lanes.lastTakeDueBy()).isEmpty();
  }

  @Test
  void drainsTheWaitingTasksAndAdmitsNothingMore() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 2, 3));
    DeliveryTask inFlight = task(alpha);
    DeliveryTask waitingAlpha = task(alpha);
    DeliveryTask waitingBeta = task(beta);
    DeliveryTask waitingGamma = task(gamma);
    lanes.admit(List.of(inFlight, waitingAlpha, waitingBeta, waitingGamma), task -> false);
    lanes.next();
    assertThat(lanes.hasRoom()).isFalse();

    // when
    List<DeliveryTask> drained = lanes.drain();

    // then
    assertThat(drained).containsExactlyInAnyOrder(waitingAlpha, waitingBeta, waitingGamma);
    assertThat(lanes.holds(waitingAlpha)).isFalse();
    assertThat(lanes.holds(inFlight)).isTrue();
    assertThat(lanes.hasRoom()).isTrue();
    assertThat(lanes.next()).isEmpty();
    assertThat(lanes.admit(List.of(task(beta), repeat(inFlight)), task -> false)).isEmpty();
    assertThat(lanes.next()).isEmpty();
    lanes.finished(inFlight, Optional.empty());
    assertThat(lanes.holds(inFlight)).isFalse();
    assertThat(lanes.laneCount()).isZero();
  }

  @Test
  void refusesToTakeBackATaskItDidNotStart() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    DeliveryTask waiting = task(alpha);
    lanes.admit(List.of(waiting), task -> false);

    // when / then
    assertThatThrownBy(() -> lanes.finished(waiting, Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> lanes.finished(task(beta), Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Starts tasks until the lanes hand out no more, in the order they come. */
  @Test
  void handsTheNextWaitingTaskOfAFullLaneToTheTaskFinishingInIt() {
    // given: a lane at its limit with two tasks waiting
    DeliveryLanes lanes = new DeliveryLanes(limits(2, 100, 100, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 4);
    lanes.admit(alphas, task -> false);
    assertThat(startAll(lanes)).containsExactly(alphas.get(0), alphas.get(1));

    // when
    Optional<DeliveryTask> handed = lanes.handOff(alphas.get(0));

    // then: the next task is in flight at once, and the lane frees no slot as the first finishes
    assertThat(handed).contains(alphas.get(2));
    assertThat(lanes.holds(alphas.get(2))).isTrue();
    lanes.finished(alphas.get(0), Optional.empty());
    assertThat(startAll(lanes)).isEmpty();
    assertThat(lanes.handOff(alphas.get(1))).contains(alphas.get(3));
    lanes.finished(alphas.get(1), Optional.empty());
    assertThat(lanes.handOff(alphas.get(2))).isEmpty();
    lanes.finished(alphas.get(2), Optional.empty());
    lanes.finished(alphas.get(3), Optional.empty());
    assertThat(lanes.laneCount()).isZero();
  }

  @Test
  void handsNothingOffWhileAnotherLaneWaitsForASlot() {
    // given: one slot in all, taken by alpha, with beta waiting for it
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 1, 100, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 2);
    DeliveryTask other = task(beta);
    lanes.admit(List.of(alphas.get(0), alphas.get(1), other), task -> false);
    assertThat(startAll(lanes)).containsExactly(alphas.get(0));

    // when
    Optional<DeliveryTask> handed = lanes.handOff(alphas.get(0));

    // then: the slot goes to the lanes in turn
    assertThat(handed).isEmpty();
    lanes.finished(alphas.get(0), Optional.empty());
    assertThat(startAll(lanes)).containsExactly(other);
  }

  @Test
  void refusesToHandOffFromATaskThatWasNotStarted() {
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 2);
    lanes.admit(alphas, task -> false);

    assertThatThrownBy(() -> lanes.handOff(alphas.get(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keepsWaitingOnlyWhatASlowEndpointWorksOffInTenSecondsAndDropsTheNewestBeyond() {
    // given: a hundred tasks of one endpoint waiting, two in flight, nothing measured yet
    DeliveryLanes lanes = new DeliveryLanes(limits(2, 100, 200, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 102);
    assertThat(lanes.admit(alphas, task -> false)).isEmpty();
    List<DeliveryTask> started = startAll(lanes);

    // when: an attempt took 5 s, so the lane works off 4 tasks in 10 s
    List<DeliveryTask> dropped = lanes.finished(started.get(0), Optional.of(Duration.ofSeconds(5)));

    // then: the four oldest wait, the rest leave, and a new one finds the lane full
    assertThat(dropped).containsExactlyInAnyOrderElementsOf(alphas.subList(6, 102));
    assertThat(dropped).noneMatch(lanes::holds);
    assertThat(lanes.admit(tasks(alpha, 1), task -> false)).hasSize(1);
    assertThat(lanes.admit(tasks(beta, 50), task -> false)).isEmpty();
    assertThat(startAll(lanes)).contains(alphas.get(2)).doesNotContain(alphas.get(3));
  }

  @Test
  void keepsAtLeastOneRoundOfAttemptsWaitingAndAtMostTheLanesBound() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(2, 100, 10, 1_000));
    List<DeliveryTask> slow = tasks(alpha, 12);
    List<DeliveryTask> fast = tasks(beta, 12);
    lanes.admit(slow, task -> false);
    lanes.admit(fast, task -> false);
    List<DeliveryTask> started = startAll(lanes);

    // when: one endpoint takes a minute an attempt, the other a millisecond
    List<DeliveryTask> droppedSlow =
        lanes.finished(started.get(0), Optional.of(Duration.ofMinutes(1)));
    List<DeliveryTask> droppedFast =
        lanes.finished(started.get(1), Optional.of(Duration.ofMillis(1)));

    // then: the slow one keeps two waiting (its limit in flight), the fast one its whole bound
    assertThat(droppedSlow).hasSize(6);
    assertThat(droppedFast).isEmpty();
  }

  @Test
  void anAttemptNotMadeTeachesTheLaneNothing() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    lanes.admit(tasks(alpha, 20), task -> false);
    DeliveryTask started = lanes.next().orElseThrow();

    // when
    List<DeliveryTask> dropped = lanes.finished(started, Optional.empty());

    // then
    assertThat(dropped).isEmpty();
    assertThat(lanes.admit(tasks(alpha, 20), task -> false)).isEmpty();
  }

  @Test
  void dropsEveryWaitingTaskOfALaneItBacksOffFromAndKeepsThoseInFlight() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    List<DeliveryTask> alphas = tasks(alpha, 4);
    lanes.admit(alphas, task -> false);
    lanes.admit(tasks(beta, 1), task -> false);
    List<DeliveryTask> started = startAll(lanes);

    // when
    List<DeliveryTask> dropped = lanes.dropWaiting(alphas.get(0));

    // then
    assertThat(dropped).containsExactlyInAnyOrderElementsOf(alphas.subList(1, 4));
    assertThat(lanes.holds(alphas.get(0))).isTrue();
    assertThat(lanes.hasRoom()).isTrue();
    assertThat(lanes.finished(alphas.get(0), Optional.of(Duration.ofMillis(1)))).isEmpty();
    assertThat(lanes.next()).isEmpty();
    assertThat(started).hasSize(2);
    assertThat(lanes.dropWaiting(task(gamma))).isEmpty();
  }

  @Test
  void dropsTheTasksItIsToldToRefuseButStillCountsTheirDueTimes() {
    // given
    DeliveryLanes lanes = new DeliveryLanes(limits(1, 100, 100, 1_000));
    DeliveryTask refused = task(alpha, DUE.plusSeconds(9));
    DeliveryTask admitted = task(beta, DUE);

    // when
    List<DeliveryTask> dropped =
        lanes.admit(List.of(refused, admitted), task -> task.organization().equals(alpha));

    // then
    assertThat(dropped).containsExactly(refused);
    assertThat(lanes.holds(refused)).isFalse();
    assertThat(lanes.holds(admitted)).isTrue();
    assertThat(lanes.lastTakeDueBy()).contains(DUE.plusSeconds(9));
  }

  private static List<DeliveryTask> startAll(DeliveryLanes lanes) {
    List<DeliveryTask> started = new ArrayList<>();
    for (Optional<DeliveryTask> next = lanes.next(); next.isPresent(); next = lanes.next()) {
      started.add(next.orElseThrow());
    }
    return started;
  }

  private List<DeliveryTask> tasks(OrganizationId organization, int count) {
    List<DeliveryTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(task(organization));
    }
    return tasks;
  }

  private DeliveryTask task(OrganizationId organization) {
    return task(organization, DUE);
  }

  /** A task to the organization's one endpoint, whose id these tests derive from the org's. */
  private DeliveryTask task(OrganizationId organization, Instant dueAt) {
    return new DeliveryTask(
        organization, fixtures.eventId(), new EndpointId(organization.value()), dueAt);
  }

  /** The same delivery queued again, as a sweep or a redelivery does, due later. */
  private static DeliveryTask repeat(DeliveryTask task) {
    return new DeliveryTask(
        task.organization(), task.eventId(), task.endpointId(), task.dueAt().plusSeconds(1));
  }

  private static DeliveryLimits limits(
      int perOrganization, int overall, int backlogPerOrganization, int backlog) {
    return new DeliveryLimits(
        perOrganization,
        overall,
        backlogPerOrganization,
        backlog,
        16,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1));
  }
}

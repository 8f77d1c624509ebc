package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.DeliveryQueueContract;
import io.triggers.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryQueueTest extends DeliveryQueueContract {

  @Override
  protected DeliveryQueue newQueue(MutableClock clock, Duration visibilityTimeout) {
    return new InMemoryDeliveryQueue(clock, 1_000, visibilityTimeout);
  }

  @Test
  void dropsTasksWhenFull() throws Exception {
    // given
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 2, visibilityTimeout());
    DeliveryTask first = task(Duration.ZERO);
    DeliveryTask second = task(Duration.ZERO);
    queue.enqueue(first);
    queue.enqueue(second);

    // when
    queue.enqueue(task(Duration.ZERO));

    // then
    assertThat(queue.take(10, Duration.ZERO)).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void countsTakenTasksAgainstTheCapacityUntilCompleted() throws Exception {
    // given
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 1, visibilityTimeout());
    DeliveryTask taken = task(Duration.ZERO);
    queue.enqueue(taken);
    queue.take(1, Duration.ZERO);
    queue.enqueue(task(Duration.ZERO));
    queue.complete(taken);
    DeliveryTask afterCompletion = task(Duration.ZERO);

    // when
    queue.enqueue(afterCompletion);

    // then
    assertThat(queue.take(10, Duration.ZERO)).containsExactly(afterCompletion);
  }

  @Test
  void holdsATaskOnlyOnceWhenItIsEnqueuedTwice() throws Exception {
    // given
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 10, visibilityTimeout());
    DeliveryTask task = task(Duration.ZERO);
    queue.enqueue(task);

    // when
    queue.enqueue(task);

    // then
    assertThat(queue.take(10, Duration.ZERO)).containsExactly(task);
  }

  @Test
  void handsOutTheEarliestDueTasksFirst() throws Exception {
    // given
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 10, visibilityTimeout());
    DeliveryTask later = task(Duration.ofSeconds(-1));
    DeliveryTask earlier = task(Duration.ofSeconds(-5));
    queue.enqueue(later);
    queue.enqueue(earlier);

    // when
    List<DeliveryTask> taken = queue.take(1, Duration.ZERO);

    // then
    assertThat(taken).containsExactly(earlier);
  }

  @Test
  void wakesUpWhenAWaitingTaskFallsDueDuringTheWait() throws Exception {
    // given
    Clock realTime = Clock.systemUTC();
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(realTime, 10, visibilityTimeout());
    DeliveryTask task =
        new DeliveryTask(
            fixtures.organization().id(),
            fixtures.eventId(),
            fixtures.ids().newEndpointId(),
            realTime.instant().plusMillis(50));
    queue.enqueue(task);

    // when
    List<DeliveryTask> taken = queue.take(10, Duration.ofSeconds(30));

    // then
    assertThat(taken).containsExactly(task);
  }

  @Test
  void acceptsAWaitTooLongToCountInNanoseconds() throws Exception {
    // given
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 10, visibilityTimeout());
    DeliveryTask task = task(Duration.ZERO);
    queue.enqueue(task);

    // when
    List<DeliveryTask> taken = queue.take(1, Duration.ofDays(365L * 1_000));

    // then
    assertThat(taken).containsExactly(task);
  }

  @Test
  void dropsTheTasksOfAHeldBackEndpointThatFallDueBeforeTheHoldEnds() throws Exception {
    // given
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 100, visibilityTimeout());
    DeliveryTask held = task(Duration.ZERO);
    queue.holdBack(held.endpointId(), clock.instant().plusSeconds(10));
    DeliveryTask afterTheHold = sameEndpoint(held, Duration.ofSeconds(10));
    DeliveryTask elsewhere = task(Duration.ZERO);

    // when
    queue.enqueueAll(List.of(held, sameEndpoint(held, Duration.ofSeconds(9)), afterTheHold));
    queue.enqueue(elsewhere);

    // then
    assertThat(queue.take(10, Duration.ZERO)).containsExactly(elsewhere);
    clock.advance(Duration.ofSeconds(10));
    assertThat(queue.take(10, Duration.ZERO)).containsExactly(afterTheHold);
  }

  @Test
  void addsTheTasksOfAnEndpointAgainOnceItsHoldHasEndedOrALaterOneEndedIt() throws Exception {
    // given: a hold that runs out, and one replaced by a shorter one, then ended
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 100, visibilityTimeout());
    DeliveryTask runsOut = task(Duration.ZERO);
    DeliveryTask endedEarly = task(Duration.ZERO);
    queue.holdBack(runsOut.endpointId(), clock.instant().plusSeconds(5));
    queue.holdBack(endedEarly.endpointId(), clock.instant().plusSeconds(60));
    queue.holdBack(endedEarly.endpointId(), clock.instant().plusSeconds(5));
    clock.advance(Duration.ofSeconds(4));
    queue.enqueueAll(
        List.of(sameEndpoint(runsOut, Duration.ZERO), sameEndpoint(endedEarly, Duration.ZERO)));
    queue.holdBack(endedEarly.endpointId(), clock.instant());
    DeliveryTask afterTheEnd = sameEndpoint(endedEarly, Duration.ZERO);
    queue.enqueue(afterTheEnd);
    clock.advance(Duration.ofSeconds(1));

    // when
    DeliveryTask afterRunningOut = sameEndpoint(runsOut, Duration.ZERO);
    queue.enqueue(afterRunningOut);

    // then
    assertThat(queue.take(10, Duration.ZERO)).containsExactly(afterTheEnd, afterRunningOut);
  }

  private DeliveryTask sameEndpoint(DeliveryTask task, Duration dueIn) {
    return new DeliveryTask(
        task.organization(), fixtures.eventId(), task.endpointId(), clock.instant().plus(dueIn));
  }

  private DeliveryTask task(Duration dueIn) {
    return new DeliveryTask(
        fixtures.organization().id(),
        fixtures.eventId(),
        fixtures.ids().newEndpointId(),
        clock.instant().plus(dueIn));
  }
}

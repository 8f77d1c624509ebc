package io.triggers.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class DeliverySweeperTest {

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Optional<Instant> NOTHING_WAITING = Optional.empty();
  private static final Predicate<DeliveryTask> NONE_IN_HAND = task -> false;

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final RecordingQueue queue = new RecordingQueue();
  private final OrganizationId organization = fixtures.organization().id();
  private final EndpointId endpoint = endpoint();

  @Test
  void queuesScheduledDeliveriesOverdueByMoreThanTheGrace() {
    // given
    DeliverySweeper sweeper = new DeliverySweeper(store, queue, clock, GRACE, 100, 1_000);
    List<Event> events = scheduledEvents(2);
    Event inboxOnly = fixtures.event(organization);
    store.append(List.of(inboxOnly), DeliveryMethod.PULL);

    // when
    clock.set(events.getFirst().createdAt().plus(GRACE).minusMillis(1));
    int early = sweeper.sweep(NOTHING_WAITING, NONE_IN_HAND);
    clock.set(events.getLast().createdAt().plus(GRACE));
    int due = sweeper.sweep(NOTHING_WAITING, NONE_IN_HAND);

    // then
    assertThat(early).isZero();
    assertThat(due).isEqualTo(2);
    assertThat(queue.tasks)
        .containsExactly(
            new DeliveryTask(organization, events.get(0).id(), endpoint, events.get(0).createdAt()),
            new DeliveryTask(
                organization, events.get(1).id(), endpoint, events.get(1).createdAt()));
  }

  @Test
  void walksThroughABacklogLargerThanOneSweepInTurnThenStartsOver() {
    // given
    DeliverySweeper sweeper = new DeliverySweeper(store, queue, clock, GRACE, 1, 2);
    List<Event> events = scheduledEvents(5);
    clock.advance(GRACE);

    // when
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      counts.add(sweeper.sweep(NOTHING_WAITING, NONE_IN_HAND));
    }

    // then
    assertThat(counts).containsExactly(2, 2, 1, 2);
    assertThat(queue.tasks)
        .extracting(DeliveryTask::eventId)
        .containsExactly(
            events.get(0).id(),
            events.get(1).id(),
            events.get(2).id(),
            events.get(3).id(),
            events.get(4).id(),
            events.get(0).id(),
            events.get(1).id());
  }

  @Test
  void leavesAloneDeliveriesDueAfterWhatTheQueueHandedOutLast() {
    // given
    DeliverySweeper sweeper = new DeliverySweeper(store, queue, clock, GRACE, 100, 1_000);
    List<Event> events = scheduledEvents(4);
    clock.advance(Duration.ofMinutes(5));
    Instant passed = events.get(1).createdAt().plus(GRACE);

    // when
    int queued = sweeper.sweep(Optional.of(passed), NONE_IN_HAND);

    // then
    assertThat(queued).isEqualTo(2);
    assertThat(queue.tasks)
        .extracting(DeliveryTask::eventId)
        .containsExactly(events.get(0).id(), events.get(1).id());
  }

  @Test
  void leavesAloneDeliveriesAlreadyInHand() {
    // given
    DeliverySweeper sweeper = new DeliverySweeper(store, queue, clock, GRACE, 100, 1_000);
    List<Event> events = scheduledEvents(3);
    clock.advance(GRACE);
    EventId inHand = events.get(1).id();

    // when
    int queued = sweeper.sweep(NOTHING_WAITING, task -> task.eventId().equals(inHand));

    // then
    assertThat(queued).isEqualTo(2);
    assertThat(queue.tasks)
        .extracting(DeliveryTask::eventId)
        .containsExactly(events.get(0).id(), events.get(2).id());
  }

  private EndpointId endpoint() {
    Endpoint created = fixtures.endpoint();
    store.endpoints().create(organization, created);
    return created.id();
  }

  private List<Event> scheduledEvents(int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clock.advance(Duration.ofMillis(1));
      events.add(fixtures.event(organization));
    }
    store.append(events, DeliveryMethod.PUSH);
    return events;
  }

  /** Remembers what is queued, and hands nothing out. */
  private static final class RecordingQueue implements DeliveryQueue {

    final List<DeliveryTask> tasks = new ArrayList<>();

    @Override
    public void enqueue(DeliveryTask task) {
      tasks.add(task);
    }

    @Override
    public List<DeliveryTask> take(int max, Duration wait) {
      return List.of();
    }

    @Override
    public void complete(DeliveryTask task) {}
  }
}

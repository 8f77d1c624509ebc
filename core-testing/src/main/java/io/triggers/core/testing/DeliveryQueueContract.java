package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DeliveryQueue} must do; extend it with a factory for the implementation. */
public abstract class DeliveryQueueContract {

  private static final Duration NO_WAIT = Duration.ZERO;

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private DeliveryQueue queue;

  /**
   * The implementation under test, with room for at least a few hundred tasks, reading due times
   * from {@code clock} and handing out again a task not completed within {@code visibilityTimeout};
   * called after {@link #clearState()}.
   */
  protected abstract DeliveryQueue newQueue(MutableClock clock, Duration visibilityTimeout)
      throws Exception;

  /** Removes what earlier tests left in a queue that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  /** How long a taken task stays invisible in these tests. */
  protected Duration visibilityTimeout() {
    return Duration.ofSeconds(30);
  }

  /** Moves time on for the implementation; an implementation with its own timer also waits. */
  protected void letTimePass(Duration duration) throws Exception {
    clock.advance(duration);
  }

  @BeforeEach
  final void createQueue() throws Exception {
    clearState();
    queue = newQueue(clock, visibilityTimeout());
  }

  @Test
  void handsOutADueTask() throws Exception {
    // given
    DeliveryTask task = dueNow();
    queue.enqueue(task);

    // when
    List<DeliveryTask> taken = queue.take(10, NO_WAIT);

    // then
    assertThat(taken).containsExactly(task);
  }

  @Test
  void addsEveryTaskEnqueuedTogetherEachWhenItIsDue() throws Exception {
    // given
    DeliveryTask first = dueNow();
    DeliveryTask second = dueNow();
    DeliveryTask later = dueIn(Duration.ofSeconds(10));
    queue.enqueueAll(List.of(first, later, second));

    // when: waiting for the first, since a queue may add them without waiting itself
    List<DeliveryTask> now = queue.take(10, Duration.ofSeconds(5));
    now.forEach(queue::complete);
    letTimePass(Duration.ofSeconds(10));
    List<DeliveryTask> due = queue.take(10, Duration.ofSeconds(5));

    // then
    assertThat(now).containsExactlyInAnyOrder(first, second);
    assertThat(due).containsExactly(later);
  }

  @Test
  void enqueueingNoTaskTogetherAddsNothing() throws Exception {
    // when
    queue.enqueueAll(List.of());

    // then
    assertThat(queue.take(10, NO_WAIT)).isEmpty();
  }

  @Test
  void holdsATaskBackUntilItIsDue() throws Exception {
    // given
    DeliveryTask task = dueIn(Duration.ofSeconds(10));
    queue.enqueue(task);

    // when
    List<DeliveryTask> early = queue.take(10, NO_WAIT);
    letTimePass(Duration.ofSeconds(10));
    List<DeliveryTask> due = queue.take(10, NO_WAIT);

    // then
    assertThat(early).isEmpty();
    assertThat(due).containsExactly(task);
  }

  @Test
  void handsOutAtMostTheAskedNumberOfTasks() throws Exception {
    // given
    List<DeliveryTask> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(dueNow());
      queue.enqueue(tasks.getLast());
    }

    // when
    List<DeliveryTask> first = queue.take(2, NO_WAIT);
    List<DeliveryTask> rest = queue.take(10, NO_WAIT);

    // then
    assertThat(first).hasSize(2);
    assertThat(rest).hasSize(3);
    List<DeliveryTask> all = new ArrayList<>(first);
    all.addAll(rest);
    assertThat(all).containsExactlyInAnyOrderElementsOf(tasks);
  }

  @Test
  void returnsNothingWhenNoTaskComesWithinTheWait() throws Exception {
    // when
    List<DeliveryTask> taken = queue.take(10, Duration.ofMillis(20));

    // then
    assertThat(taken).isEmpty();
  }

  @Test
  void waitsForATaskEnqueuedWhileWaiting() throws Exception {
    // given
    DeliveryTask task = dueNow();
    CompletableFuture<List<DeliveryTask>> taken = new CompletableFuture<>();
    Thread taker =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    taken.complete(queue.take(10, Duration.ofSeconds(30)));
                  } catch (Throwable e) {
                    taken.completeExceptionally(e);
                  }
                });
    awaitWaiting(taker);

    // when
    queue.enqueue(task);

    // then
    assertThat(taken.get(30, TimeUnit.SECONDS)).containsExactly(task);
  }

  @Test
  void doesNotHandOutATakenTaskAgainWithinTheVisibilityTimeout() throws Exception {
    // given
    queue.enqueue(dueNow());
    queue.take(10, NO_WAIT);

    // when
    letTimePass(visibilityTimeout().dividedBy(2));
    List<DeliveryTask> again = queue.take(10, NO_WAIT);

    // then
    assertThat(again).isEmpty();
  }

  @Test
  void handsOutAnUncompletedTaskAgainAfterTheVisibilityTimeout() throws Exception {
    // given
    DeliveryTask task = dueNow();
    queue.enqueue(task);
    queue.take(10, NO_WAIT);

    // when
    letTimePass(visibilityTimeout().plusSeconds(1));
    List<DeliveryTask> again = queue.take(10, NO_WAIT);

    // then
    assertThat(again).containsExactly(task);
  }

  @Test
  void neverHandsOutACompletedTaskAgain() throws Exception {
    // given
    DeliveryTask task = dueNow();
    queue.enqueue(task);
    queue.take(10, NO_WAIT);

    // when
    queue.complete(task);
    letTimePass(visibilityTimeout().plusSeconds(1));
    List<DeliveryTask> again = queue.take(10, NO_WAIT);

    // then
    assertThat(again).isEmpty();
  }

  @Test
  void completingIsIdempotent() throws Exception {
    // given
    DeliveryTask done = dueNow();
    DeliveryTask other = dueNow();
    queue.enqueue(done);
    queue.take(10, NO_WAIT);
    queue.complete(done);
    queue.enqueue(other);

    // when
    queue.complete(done);

    // then
    assertThat(queue.take(10, NO_WAIT)).containsExactly(other);
  }

  @Test
  void sharesTasksAmongConcurrentTakersWithoutHandingOneOutTwice() throws Exception {
    // given
    List<DeliveryTask> tasks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tasks.add(dueNow());
      queue.enqueue(tasks.getLast());
    }

    // when
    List<List<DeliveryTask>> takenByEach = Concurrently.run(4, i -> takeUntilEmpty());

    // then
    List<DeliveryTask> taken = takenByEach.stream().flatMap(List::stream).toList();
    assertThat(taken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(tasks);
  }

  private List<DeliveryTask> takeUntilEmpty() {
    List<DeliveryTask> taken = new ArrayList<>();
    try {
      List<DeliveryTask> batch;
      while (!(batch = queue.take(7, NO_WAIT)).isEmpty()) {
        taken.addAll(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return taken;
  }

  /** Returns once the taker thread is parked in its wait, so the enqueue comes during it. */
  private static void awaitWaiting(Thread taker) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (taker.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  private DeliveryTask dueNow() {
    return dueIn(Duration.ZERO);
  }

  private DeliveryTask dueIn(Duration delay) {
    OrganizationId organization = fixtures.organization().id();
    return new DeliveryTask(
        organization,
        fixtures.eventId(),
        fixtures.ids().newEndpointId(),
        clock.instant().plus(delay));
  }
}

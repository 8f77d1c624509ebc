package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lettuce.core.models.stream.PendingMessages;
import io.triggers.core.model.EndpointId;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.Concurrently;
import io.triggers.core.testing.DeliveryQueueContract;
import io.triggers.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisDeliveryQueueIT extends DeliveryQueueContract {

  private static final Duration NO_WAIT = Duration.ZERO;
  private static final long MAX_LENGTH = 10_000;
  private static final Pattern SCRIPT_CALLS = Pattern.compile("cmdstat_eval(?:sha)?:calls=(\\d+)");

  private static RedisConnection redis;

  @BeforeAll
  static void connect() {
    redis = RedisConnection.connect(TestRedis.url());
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @Override
  protected DeliveryQueue newQueue(MutableClock clock, Duration visibilityTimeout) {
    return redis.deliveryQueue(clock, "node-1", visibilityTimeout, MAX_LENGTH);
  }

  @Override
  protected void clearState() {
    TestRedis.flushAll();
  }

  /** Short, because Redis measures how long a taken task stays invisible in real time. */
  @Override
  protected Duration visibilityTimeout() {
    return Duration.ofMillis(800);
  }

  /**
   * Also waits in real time for the visibility timeout Redis measures; waiting much longer than
   * that timeout would change nothing more, so long moves of the clock wait no longer.
   */
  @Override
  protected void letTimePass(Duration duration) throws InterruptedException {
    clock.advance(duration);
    Duration longestUseful = visibilityTimeout().plusMillis(300);
    Thread.sleep(duration.compareTo(longestUseful) < 0 ? duration : longestUseful);
  }

  @Test
  void handsATaskADeadConsumerLeftToAnotherAfterTheVisibilityTimeout() throws Exception {
    // given
    DeliveryTask task = dueNow();
    RedisDeliveryQueue survivor = redis.deliveryQueue(clock, "survivor", visibilityTimeout(), 100);
    try (RedisConnection doomedNode = RedisConnection.connect(TestRedis.url())) {
      DeliveryQueue doomed = doomedNode.deliveryQueue(clock, "doomed", visibilityTimeout(), 100);
      doomed.enqueue(task);
      assertThat(doomed.take(10, Duration.ofSeconds(5))).containsExactly(task);
    }
    List<DeliveryTask> beforeTimeout = survivor.take(10, NO_WAIT);

    // when
    Thread.sleep(visibilityTimeout().plusMillis(300));
    List<DeliveryTask> afterTimeout = survivor.take(10, NO_WAIT);

    // then
    assertThat(beforeTimeout).isEmpty();
    assertThat(afterTimeout).containsExactly(task);
  }

  @Test
  void sharesTasksAmongNodesWithoutHandingOneOutTwice() throws Exception {
    // given
    List<DeliveryTask> tasks = new ArrayList<>();
    try (RedisConnection otherNode = RedisConnection.connect(TestRedis.url())) {
      List<DeliveryQueue> nodes =
          List.of(
              redis.deliveryQueue(clock, "node-a", visibilityTimeout(), MAX_LENGTH),
              otherNode.deliveryQueue(clock, "node-b", visibilityTimeout(), MAX_LENGTH));
      for (int i = 0; i < 100; i++) {
        tasks.add(dueNow());
        nodes.get(i % 2).enqueue(tasks.getLast());
      }

      // when
      List<List<DeliveryTask>> takenByEach = Concurrently.run(2, i -> takeUntilEmpty(nodes.get(i)));

      // then
      List<DeliveryTask> taken = takenByEach.stream().flatMap(List::stream).toList();
      assertThat(taken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(tasks);
    }
  }

  @Test
  void recreatesItsConsumerGroupAfterRedisLostEverything() throws Exception {
    // given
    DeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    queue.enqueue(dueNow());
    queue.take(10, NO_WAIT);
    DeliveryTask afterLoss = dueNow();

    // when
    TestRedis.admin().flushall();
    queue.enqueue(afterLoss);

    // then
    assertThat(queue.take(10, Duration.ofSeconds(5))).containsExactly(afterLoss);
  }

  @Test
  void holdsBackATaskThatAnotherNodesClockFoundDueEarlier() throws Exception {
    // given
    MutableClock aheadClock = new MutableClock(clock.instant().plusSeconds(10));
    DeliveryQueue ahead = redis.deliveryQueue(aheadClock, "ahead", visibilityTimeout(), 100);
    DeliveryQueue here = redis.deliveryQueue(clock, "here", visibilityTimeout(), 100);
    DeliveryTask task =
        new DeliveryTask(
            fixtures.organization().id(),
            fixtures.eventId(),
            fixtures.ids().newEndpointId(),
            clock.instant().plusSeconds(5));
    ahead.enqueue(task);

    // when
    List<DeliveryTask> early = here.take(10, NO_WAIT);
    clock.advance(Duration.ofSeconds(5));
    List<DeliveryTask> due = here.take(10, NO_WAIT);

    // then
    assertThat(early).isEmpty();
    assertThat(due).containsExactly(task);
  }

  @Test
  void waitsForAScheduledTaskToFallDue() throws Exception {
    // given
    Clock realTime = Clock.systemUTC();
    DeliveryQueue queue = redis.deliveryQueue(realTime, "node-1", visibilityTimeout(), 100);
    DeliveryTask task =
        new DeliveryTask(
            fixtures.organization().id(),
            fixtures.eventId(),
            fixtures.ids().newEndpointId(),
            realTime.instant().plusMillis(300));
    queue.enqueue(task);

    // when
    List<DeliveryTask> taken = queue.take(10, Duration.ofSeconds(30));

    // then
    assertThat(taken).containsExactly(task);
  }

  @Test
  void reloadsItsScriptsAfterRedisForgetsThem() throws Exception {
    // given
    DeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    DeliveryTask dueNow = dueNow();
    DeliveryTask dueLater = dueIn(Duration.ofSeconds(10));

    // when
    TestRedis.admin().scriptFlush();
    queue.enqueue(dueNow);
    queue.enqueue(dueLater);
    clock.advance(Duration.ofSeconds(10));

    // then
    assertThat(queue.take(10, Duration.ofSeconds(5))).containsExactlyInAnyOrder(dueNow, dueLater);
  }

  @Test
  void dropsStreamEntriesThatHoldNoTask() throws Exception {
    // given
    DeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    TestRedis.admin().xadd(RedisDeliveryQueue.STREAM_KEY, Map.of("task", "not a task"));
    DeliveryTask task = dueNow();
    queue.enqueue(task);

    // when
    List<DeliveryTask> taken = queue.take(10, NO_WAIT);

    // then
    assertThat(taken).containsExactly(task);
    assertThat(TestRedis.admin().xlen(RedisDeliveryQueue.STREAM_KEY)).isEqualTo(1);
  }

  @Test
  void dropsNewTasksDueNowWhenTheStreamIsFull() throws Exception {
    // given
    RedisDeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), 2);
    DeliveryTask first = dueNow();
    DeliveryTask second = dueNow();
    queue.enqueue(first);
    queue.enqueue(second);

    // when
    queue.enqueue(dueNow());

    // then
    assertThat(queue.take(10, NO_WAIT)).containsExactly(first, second);
    assertThat(queue.droppedTasks()).isEqualTo(1);
  }

  @Test
  void dropsNewTasksDueLaterWhenTheScheduleIsFull() throws Exception {
    // given
    RedisDeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), 2);
    DeliveryTask first = dueIn(Duration.ofSeconds(30));
    DeliveryTask second = dueIn(Duration.ofSeconds(20));
    queue.enqueue(first);
    queue.enqueue(second);

    // when
    queue.enqueue(dueIn(Duration.ofSeconds(10)));

    // then
    clock.advance(Duration.ofSeconds(30));
    assertThat(queue.take(10, NO_WAIT)).containsExactly(second, first);
    assertThat(queue.droppedTasks()).isEqualTo(1);
  }

  @Test
  void keepsDueTasksScheduledUntilTheStreamHasRoom() throws Exception {
    // given
    DeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), 1);
    DeliveryTask taken = dueNow();
    DeliveryTask waiting = dueIn(Duration.ofSeconds(10));
    queue.enqueue(taken);
    queue.enqueue(waiting);
    clock.advance(Duration.ofSeconds(10));
    List<DeliveryTask> first = queue.take(10, NO_WAIT);
    List<DeliveryTask> whileFull = queue.take(10, NO_WAIT);

    // when
    queue.complete(taken);
    List<DeliveryTask> afterRoom = queue.take(10, NO_WAIT);

    // then
    assertThat(first).containsExactly(taken);
    assertThat(whileFull).isEmpty();
    assertThat(afterRoom).containsExactly(waiting);
  }

  @Test
  void acknowledgesAndDeletesTheEntryOfACompletedTask() throws Exception {
    // given
    DeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    DeliveryTask task = dueNow();
    queue.enqueue(task);
    queue.take(10, NO_WAIT);
    PendingMessages pendingWhileTaken = pending();

    // when
    queue.complete(task);
    queue.take(10, NO_WAIT); // on the same connection, so it runs after the completion

    // then
    assertThat(pendingWhileTaken.getConsumerMessageCount()).containsExactly(entry("node-1", 1L));
    assertThat(pending().getCount()).isZero();
    assertThat(TestRedis.admin().xlen(RedisDeliveryQueue.STREAM_KEY)).isZero();
  }

  @Test
  void acknowledgesCompletedTasksWithTheNextTakeOrOnceEnoughAreWaiting() throws Exception {
    // given
    DeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    int left = 10;
    int count = RedisDeliveryQueue.COMPLETIONS_AT_ONCE + left;
    for (int i = 0; i < count; i++) {
      queue.enqueue(dueNow());
    }
    List<DeliveryTask> taken = takeUntilEmpty(queue);

    // when
    taken.subList(0, left).forEach(queue::complete);
    long pendingAfterAFew = pending().getCount();
    taken.subList(left, count).forEach(queue::complete);
    long pendingOnceEnough = awaitPending(left);
    queue.take(10, NO_WAIT);

    // then
    assertThat(taken).hasSize(count);
    assertThat(pendingAfterAFew).isEqualTo(count);
    assertThat(pendingOnceEnough).isEqualTo(left);
    assertThat(pending().getCount()).isZero();
    assertThat(TestRedis.admin().xlen(RedisDeliveryQueue.STREAM_KEY)).isZero();
  }

  @Test
  void refusesTasksDueNowWithoutARunOfTheScriptForAWhileOnceTheStreamWasFull() throws Exception {
    // given: a run of the script found the stream full
    RedisDeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), 1);
    queue.enqueue(dueNow());
    queue.enqueue(dueNow());
    awaitUntil(() -> queue.droppedTasks() == 1);
    long runs = scriptRuns();

    // when
    queue.enqueue(dueNow());
    queue.enqueueAll(List.of(dueNow(), dueNow()));
    long runsWhileFull = scriptRuns();
    queue.enqueue(dueIn(Duration.ofSeconds(10)));

    // then: tasks due later still go to the schedule, which has room
    assertThat(runsWhileFull).isEqualTo(runs);
    assertThat(queue.droppedTasks()).isEqualTo(4);
    assertThat(awaitScriptRuns(runs + 1)).isEqualTo(runs + 1);
    assertThat(TestRedis.admin().zcard(RedisDeliveryQueue.SCHEDULED_KEY)).isEqualTo(1);
    assertThat(queue.droppedTasks()).isEqualTo(4);
  }

  @Test
  void addsTasksDueNowAgainOnceTheStreamWasFullForLongerAgo() throws Exception {
    // given: a full stream, then room again
    RedisDeliveryQueue queue = redis.deliveryQueue(clock, "node-1", visibilityTimeout(), 1);
    DeliveryTask first = dueNow();
    queue.enqueue(first);
    queue.enqueue(dueNow());
    awaitUntil(() -> queue.droppedTasks() == 1);
    assertThat(queue.take(10, NO_WAIT)).containsExactly(first);
    queue.complete(first);
    assertThat(queue.take(10, NO_WAIT)).isEmpty();

    // when
    clock.advance(TaskEnqueuing.FULL_STREAM_HOLD);
    DeliveryTask next = dueNow();
    queue.enqueue(next);

    // then
    assertThat(queue.take(10, Duration.ofSeconds(5))).containsExactly(next);
    assertThat(queue.droppedTasks()).isEqualTo(1);
  }

  @Test
  void addsNoTaskOfAHeldBackEndpointDueBeforeTheHoldEndsNorCountsItAsDropped() throws Exception {
    // given: an endpoint held back for ten seconds (on the connection the runs take, so first)
    RedisDeliveryQueue queue =
        redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    EndpointId held = fixtures.ids().newEndpointId();
    queue.holdBack(held, clock.instant().plusSeconds(10));
    DeliveryTask heldNow = dueIn(held, Duration.ZERO);
    DeliveryTask heldDueJustBeforeTheEnd = dueIn(held, Duration.ofSeconds(9));
    DeliveryTask heldAtTheEnd = dueIn(held, Duration.ofSeconds(10));
    DeliveryTask elsewhereNow = dueNow();
    DeliveryTask elsewhereLater = dueIn(Duration.ofSeconds(5));

    // when: in one run, as an event's fan-out
    queue.enqueueAll(
        List.of(heldNow, elsewhereNow, heldDueJustBeforeTheEnd, heldAtTheEnd, elsewhereLater));
    List<DeliveryTask> now = queue.take(10, Duration.ofSeconds(5));

    // then: only the other endpoint's task is in the stream, the schedule has no held task
    // falling due before the end, and nothing counts as dropped
    assertThat(now).containsExactly(elsewhereNow);
    assertThat(TestRedis.admin().xlen(RedisDeliveryQueue.STREAM_KEY)).isEqualTo(1);
    assertThat(TestRedis.admin().zrange(RedisDeliveryQueue.SCHEDULED_KEY, 0, -1))
        .containsExactlyInAnyOrder(
            TaskCodec.encode(heldAtTheEnd), TaskCodec.encode(elsewhereLater));
    clock.advance(Duration.ofSeconds(10));
    assertThat(queue.take(10, NO_WAIT)).containsExactlyInAnyOrder(elsewhereLater, heldAtTheEnd);
    assertThat(queue.droppedTasks()).isZero();
  }

  @Test
  void holdsBackForEveryNodeOnTheRedisAndAddsAgainOnceTheHoldHasEnded() throws Exception {
    // given: node A backs off from an endpoint for five seconds
    EndpointId held = fixtures.ids().newEndpointId();
    try (RedisConnection otherNode = RedisConnection.connect(TestRedis.url())) {
      RedisDeliveryQueue nodeA = redis.deliveryQueue(clock, "node-a", visibilityTimeout(), 100);
      RedisDeliveryQueue nodeB = otherNode.deliveryQueue(clock, "node-b", visibilityTimeout(), 100);
      Instant end = clock.instant().plusSeconds(5);
      nodeA.holdBack(held, end);
      awaitUntil(() -> heldBackUntil(held) != null);

      // when: node B enqueues the endpoint's task with another's, in one run
      DeliveryTask whileHeld = dueIn(held, Duration.ZERO);
      DeliveryTask elsewhere = dueNow();
      nodeB.enqueueAll(List.of(whileHeld, elsewhere));
      List<DeliveryTask> takenWhileHeld = nodeB.take(10, Duration.ofSeconds(5));
      Long holdWhileInForce = heldBackUntil(held);

      // and: once the hold has ended
      clock.advance(Duration.ofSeconds(5));
      DeliveryTask afterTheHold = dueIn(held, Duration.ZERO);
      nodeB.enqueue(afterTheHold);
      List<DeliveryTask> takenAfter = nodeB.take(10, Duration.ofSeconds(5));

      // then: node B held the task back while node A's hold lasted, and a take once it had ended
      // removed it
      assertThat(takenWhileHeld).containsExactly(elsewhere);
      assertThat(holdWhileInForce).isEqualTo(end.toEpochMilli());
      assertThat(takenAfter).containsExactly(afterTheHold);
      assertThat(heldBackUntil(held)).isNull();
      assertThat(nodeA.droppedTasks() + nodeB.droppedTasks()).isZero();
    }
  }

  @Test
  void sendsNoRunForAnEndpointAnotherNodeHoldsBackForASecondOnceARunMetTheHold() throws Exception {
    // given: node A holds an endpoint back for a minute, and a run of node B met the hold
    EndpointId held = fixtures.ids().newEndpointId();
    try (RedisConnection otherNode = RedisConnection.connect(TestRedis.url())) {
      RedisDeliveryQueue nodeA = redis.deliveryQueue(clock, "node-a", visibilityTimeout(), 100);
      RedisDeliveryQueue nodeB = otherNode.deliveryQueue(clock, "node-b", visibilityTimeout(), 100);
      nodeA.holdBack(held, clock.instant().plusSeconds(60));
      awaitUntil(() -> heldBackUntil(held) != null);
      long runs = scriptRuns();
      nodeB.enqueue(dueIn(held, Duration.ZERO));
      awaitScriptRuns(runs + 1);
      // The run's answer comes back on the client's own thread.
      Thread.sleep(200);

      // when
      nodeB.enqueueAll(List.of(dueIn(held, Duration.ZERO), dueIn(held, Duration.ofMillis(500))));
      long runsWithinTheSecond = scriptRuns();
      clock.advance(EndpointHolds.RECHECK);
      nodeB.enqueue(dueIn(held, Duration.ZERO));

      // then: B asks Redis again once the second is over, and Redis still holds them back
      assertThat(runsWithinTheSecond).isEqualTo(runs + 1);
      assertThat(awaitScriptRuns(runs + 2)).isEqualTo(runs + 2);
      assertThat(TestRedis.admin().xlen(RedisDeliveryQueue.STREAM_KEY)).isZero();
      assertThat(TestRedis.admin().zcard(RedisDeliveryQueue.SCHEDULED_KEY)).isZero();
      assertThat(nodeB.droppedTasks()).isZero();
    }
  }

  @Test
  void aHoldEndedNowLetsTheEndpointsTasksInAtOnce() throws Exception {
    // given: a minute's hold, then a probe found the endpoint answering
    RedisDeliveryQueue queue =
        redis.deliveryQueue(clock, "node-1", visibilityTimeout(), MAX_LENGTH);
    EndpointId held = fixtures.ids().newEndpointId();
    queue.holdBack(held, clock.instant().plusSeconds(60));
    awaitUntil(() -> heldBackUntil(held) != null);
    queue.holdBack(held, clock.instant());
    awaitUntil(() -> heldBackUntil(held) == null);

    // when
    DeliveryTask task = dueIn(held, Duration.ZERO);
    queue.enqueue(task);

    // then
    assertThat(queue.take(10, Duration.ofSeconds(5))).containsExactly(task);
  }

  /** The end of the endpoint's hold as Redis holds it, in epoch milliseconds, or null. */
  private static Long heldBackUntil(EndpointId endpoint) {
    Double score = TestRedis.admin().zscore(RedisDeliveryQueue.HELD_BACK_KEY, endpoint.toString());
    return score == null ? null : score.longValue();
  }

  /** How many scripts Redis has run since it started. */
  private static long scriptRuns() {
    Matcher calls = SCRIPT_CALLS.matcher(TestRedis.admin().info("commandstats"));
    long runs = 0;
    while (calls.find()) {
      runs += Long.parseLong(calls.group(1));
    }
    return runs;
  }

  /** Waits up to ten seconds for Redis to have run {@code expected} scripts. */
  private static long awaitScriptRuns(long expected) throws InterruptedException {
    awaitUntil(() -> scriptRuns() >= expected);
    return scriptRuns();
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
  }

  /** Waits up to ten seconds for the pending entries to come down to {@code expected}. */
  private static long awaitPending(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long count = pending().getCount();
    while (count != expected && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
      count = pending().getCount();
    }
    return count;
  }

  private static List<DeliveryTask> takeUntilEmpty(DeliveryQueue queue) {
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

  private static PendingMessages pending() {
    return TestRedis.admin().xpending(RedisDeliveryQueue.STREAM_KEY, RedisDeliveryQueue.GROUP);
  }

  private DeliveryTask dueNow() {
    return dueIn(Duration.ZERO);
  }

  private DeliveryTask dueIn(Duration delay) {
    return dueIn(fixtures.ids().newEndpointId(), delay);
  }

  private DeliveryTask dueIn(EndpointId endpoint, Duration delay) {
    return new DeliveryTask(
        fixtures.organization().id(), fixtures.eventId(), endpoint, clock.instant().plus(delay));
  }
}

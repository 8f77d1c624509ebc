package io.triggers.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryDeliveryMetrics;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.TriggersException;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.triggers.core.port.out.WebhookSender.SendResult;
import io.triggers.core.service.DeliverWebhookService;
import io.triggers.core.testing.FakeWebhookSender;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookDispatcherTest {

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final int PER_ORGANIZATION = 2;

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final CountingQueue queue =
      new CountingQueue(new InMemoryDeliveryQueue(clock, 10_000, Duration.ofSeconds(30)));
  private final FakeWebhookSender sender = new FakeWebhookSender();
  private final HandOffCountingLedger ledger = new HandOffCountingLedger(store);
  private final DeliverWebhookService service =
      new DeliverWebhookService(
          ledger,
          new WebhookTargetRules(host -> List.of(), true),
          sender,
          RetrySchedule.standard(),
          new Random(7),
          clock,
          Duration.ofSeconds(60),
          new InMemoryDeliveryMetrics(),
          new EndpointHealth(
              store.endpoints(),
              store,
              fixtures.ids(),
              clock,
              EndpointHealth.DEFAULT_DISABLE_AFTER));
  private final List<DeliverWebhook.Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final WebhookDispatcher dispatcher =
      new WebhookDispatcher(
          queue,
          new RecordingDeliverWebhook(),
          new DeliverySweeper(store, queue, clock, GRACE, 100, 1_000),
          new DeliveryLimits(
              PER_ORGANIZATION,
              8,
              100,
              1_000,
              16,
              Duration.ofMillis(20),
              Duration.ofMillis(20),
              Duration.ofMillis(20)),
          EndpointBackoff.standard(),
          clock);

  @AfterEach
  void stop() {
    dispatcher.stop(Duration.ofSeconds(1));
  }

  @Test
  void deliversEveryQueuedEventOfEveryOrganization() {
    // given
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      OrganizationId organization = organizationWithWebhook("https://org-" + i + ".example.com");
      for (int j = 0; j < 5; j++) {
        events.add(queuedEvent(organization));
      }
    }

    // when
    dispatcher.start();

    // then
    await(() -> events.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
    assertThat(sender.messages()).hasSize(events.size());
  }

  @Test
  void aSlowOrganizationHoldsUpOnlyItsOwnDeliveries() throws Exception {
    // given
    OrganizationId slow = organizationWithWebhook("https://slow.example.com");
    OrganizationId fast = organizationWithWebhook("https://fast.example.com");
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowInFlight = new AtomicInteger();
    AtomicInteger mostSlowInFlight = new AtomicInteger();
    sender.answer(
        message -> {
          if (!message.url().getHost().equals("slow.example.com")) {
            return new SendResult.Delivered(200);
          }
          mostSlowInFlight.accumulateAndGet(slowInFlight.incrementAndGet(), Math::max);
          try {
            waitFor(release);
          } finally {
            slowInFlight.decrementAndGet();
          }
          return new SendResult.Delivered(200);
        });
    List<Event> slowEvents = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      slowEvents.add(queuedEvent(slow));
    }
    List<Event> fastEvents = List.of(queuedEvent(fast), queuedEvent(fast), queuedEvent(fast));

    // when
    dispatcher.start();

    // then
    // The fast organization's deliveries may all be done before the slow one's have started.
    await(
        () ->
            fastEvents.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED)
                && slowInFlight.get() == PER_ORGANIZATION);
    assertThat(slowEvents).allSatisfy(e -> assertThat(status(e)).isEqualTo(DeliveryStatus.PENDING));
    assertThat(mostSlowInFlight.get()).isEqualTo(PER_ORGANIZATION);

    release.countDown();
    await(() -> slowEvents.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
    assertThat(mostSlowInFlight.get()).isEqualTo(PER_ORGANIZATION);
  }

  @Test
  void claimsTheNextTaskOfABusyLaneWithThePreviousResult() {
    // given: one endpoint with more waiting than its slots
    OrganizationId organization = organizationWithWebhook("https://busy.example.com");
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    sender.answer(
        message -> {
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          inFlight.decrementAndGet();
          return new SendResult.Delivered(204);
        });
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      events.add(queuedEvent(organization));
    }

    // when
    dispatcher.start();

    // then: each sent once, most claimed with the result before them, the lane within its limit
    await(() -> events.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
    assertThat(sender.messages()).hasSize(events.size());
    assertThat(ledger.handedOff.get()).isPositive();
    assertThat(mostInFlight.get()).isLessThanOrEqualTo(PER_ORGANIZATION);
  }

  @Test
  void sendsAFailedAttemptAgainOnceItsRetryFallsDue() {
    // given
    OrganizationId organization = organizationWithWebhook("https://flaky.example.com");
    AtomicInteger calls = new AtomicInteger();
    sender.answer(
        message ->
            calls.incrementAndGet() == 1
                ? new SendResult.Failed("HTTP 503", Optional.empty())
                : new SendResult.Delivered(204));
    Event event = queuedEvent(organization);
    dispatcher.start();
    await(() -> status(event) == DeliveryStatus.RETRYING);

    // when
    clock.advance(Duration.ofSeconds(7));

    // then
    await(() -> status(event) == DeliveryStatus.DELIVERED);
    assertThat(sender.messages()).hasSize(2);
    assertThat(stored(event).delivery().attempts()).isEqualTo(2);
  }

  @Test
  void findsAndDeliversAScheduledEventWhoseTaskWasLost() {
    // given
    OrganizationId organization = organizationWithWebhook("https://lost.example.com");
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);
    dispatcher.start();

    // when
    clock.advance(GRACE);

    // then
    await(() -> status(event) == DeliveryStatus.DELIVERED);
  }

  @Test
  void doesNotQueueAgainAnOverdueEventWaitingHereForItsTurn() {
    // given
    OrganizationId slow = organizationWithWebhook("https://slow.example.com");
    OrganizationId other = organizationWithWebhook("https://other.example.com");
    CountDownLatch release = new CountDownLatch(1);
    sender.answer(
        message -> {
          if (message.url().getHost().equals("slow.example.com")) {
            waitFor(release);
          }
          return new SendResult.Delivered(200);
        });
    List<Event> slowEvents = List.of(queuedEvent(slow), queuedEvent(slow), queuedEvent(slow));
    dispatcher.start();
    await(() -> sender.messages().size() == PER_ORGANIZATION);
    Set<EventId> sent = new HashSet<>();
    sender.messages().forEach(message -> sent.add(message.event().id()));
    Event waiting =
        slowEvents.stream().filter(e -> !sent.contains(e.id())).findFirst().orElseThrow();
    Event lost = fixtures.event(other);
    store.append(List.of(lost), DeliveryMethod.PUSH);

    // when
    clock.advance(GRACE);
    await(() -> status(lost) == DeliveryStatus.DELIVERED);

    // then
    assertThat(queue.timesQueued(waiting.id())).isEqualTo(1);
    release.countDown();
    await(() -> slowEvents.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
  }

  @Test
  void doesNotSweepWhileAStalledEndpointFillsTheLanesAndDeliversItsBacklogOnceItAnswers()
      throws Exception {
    // given: a stalled endpoint whose tasks fill the lanes (two in flight, two waiting), taken
    // one at a time so that none is dropped, and a sweep whose reads of the ledger are counted
    AtomicInteger sweepReads = new AtomicInteger();
    WebhookDispatcher full =
        new WebhookDispatcher(
            queue,
            service,
            new DeliverySweeper(countingDue(sweepReads), queue, clock, GRACE, 100, 1_000),
            new DeliveryLimits(
                PER_ORGANIZATION,
                8,
                2,
                2,
                1,
                Duration.ofMillis(20),
                Duration.ofMillis(20),
                Duration.ofMillis(20)),
            EndpointBackoff.standard(),
            clock);
    OrganizationId stalled = organizationWithWebhook("https://stalled.example.com");
    OrganizationId other = organizationWithWebhook("https://other.example.com");
    CountDownLatch release = new CountDownLatch(1);
    sender.answer(
        message -> {
          if (message.url().getHost().equals("stalled.example.com")) {
            waitFor(release);
          }
          return new SendResult.Delivered(200);
        });
    List<Event> backlog = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      backlog.add(queuedEvent(stalled));
    }
    try {
      full.start();
      await(() -> queue.timesTaken() == backlog.size() && sender.messages().size() == 2);
      Event lost = fixtures.event(other);
      store.append(List.of(lost), DeliveryMethod.PUSH);
      int readsOnceFull = sweepReads.get();

      // when: sweep intervals pass while the lanes are full
      TimeUnit.MILLISECONDS.sleep(200);

      // then: no sweep read the ledger, and once the endpoint answers, its backlog is delivered,
      // each task queued once, and the sweep finds the delivery whose task was lost
      assertThat(sweepReads.get()).isLessThanOrEqualTo(readsOnceFull + 1);
      release.countDown();
      await(() -> backlog.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
      assertThat(backlog).allSatisfy(e -> assertThat(queue.timesQueued(e.id())).isEqualTo(1));
      clock.advance(GRACE.multipliedBy(2));
      await(() -> status(lost) == DeliveryStatus.DELIVERED);
    } finally {
      release.countDown();
      full.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void takesNothingMoreWhileAStalledEndpointFillsTheLanesAndEachTaskOnceWhenItAnswers()
      throws Exception {
    // given: a stalled endpoint with more tasks queued than its slots and the backlog hold
    WebhookDispatcher full =
        new WebhookDispatcher(
            queue,
            service,
            new DeliverySweeper(store, queue, clock, GRACE, 100, 1_000),
            new DeliveryLimits(
                PER_ORGANIZATION,
                8,
                2,
                2,
                1,
                Duration.ofMillis(20),
                Duration.ofMillis(20),
                Duration.ofMillis(20)),
            EndpointBackoff.standard(),
            clock);
    OrganizationId stalled = organizationWithWebhook("https://stalled.example.com");
    CountDownLatch release = new CountDownLatch(1);
    sender.answer(
        message -> {
          waitFor(release);
          return new SendResult.Delivered(200);
        });
    List<Event> backlog = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      backlog.add(queuedEvent(stalled));
    }
    int heldHere = PER_ORGANIZATION + 2;
    try {
      full.start();
      await(() -> queue.timesTaken() == heldHere && sender.messages().size() == PER_ORGANIZATION);

      // when: take intervals pass while the attempts stall
      TimeUnit.MILLISECONDS.sleep(200);

      // then: the queue was not read again, and once the endpoint answers, each task is taken
      // once, the lane handing its next task on with each result
      assertThat(queue.timesTaken()).isEqualTo(heldHere);
      release.countDown();
      await(() -> backlog.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
      assertThat(queue.timesTaken()).isEqualTo(backlog.size());
      assertThat(sender.messages()).hasSize(backlog.size());
      assertThat(ledger.handedOff.get()).isPositive();
    } finally {
      release.countDown();
      full.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void backsOffFromDeadEndpointsSoThatTheyNeitherFillTheLanesNorStarveAHealthyOneAndLosesNothing() {
    // given: six dead endpoints with more deliveries queued than the lanes hold, then a healthy
    // one; the clock stands still, so no cooldown ends and no retry falls due
    WebhookDispatcher backingOff =
        new WebhookDispatcher(
            queue,
            service,
            new DeliverySweeper(store, queue, clock, GRACE, 100, 1_000),
            new DeliveryLimits(
                PER_ORGANIZATION,
                8,
                20,
                60,
                16,
                Duration.ofMillis(20),
                Duration.ofMillis(20),
                Duration.ofMillis(20)),
            new EndpointBackoff(3, Duration.ofSeconds(5), Duration.ofMinutes(5)),
            clock);
    AtomicBoolean down = new AtomicBoolean(true);
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    sender.answer(
        message -> {
          String host = message.url().getHost();
          attempts.computeIfAbsent(host, any -> new AtomicInteger()).incrementAndGet();
          return host.startsWith("dead") && down.get()
              ? new SendResult.Failed("timed out", Optional.empty())
              : new SendResult.Delivered(200);
        });
    List<Event> deadEvents = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      OrganizationId dead = organizationWithWebhook("https://dead-" + i + ".example.com");
      for (int j = 0; j < 20; j++) {
        deadEvents.add(queuedEvent(dead));
      }
    }
    OrganizationId healthy = organizationWithWebhook("https://healthy.example.com");
    List<Event> healthyEvents = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      healthyEvents.add(queuedEvent(healthy));
    }

    try {
      // when
      backingOff.start();

      // then: the healthy endpoint gets its events, and each dead one was given up on after its
      // third failure, but for the attempts already in flight or handed on then
      await(() -> healthyEvents.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
      await(() -> backingOff.endpointsBackedOff() == 6);
      for (int i = 0; i < 6; i++) {
        assertThat(attempts.get("dead-" + i + ".example.com").get())
            .isBetween(3, 3 + 2 * PER_ORGANIZATION);
      }

      // and when they answer again and the cooldowns and retries are over, every event of theirs
      // is delivered: none was dropped for good
      down.set(false);
      clock.advance(Duration.ofMinutes(2));
      await(() -> deadEvents.stream().allMatch(e -> status(e) == DeliveryStatus.DELIVERED));
      assertThat(backingOff.endpointsBackedOff()).isZero();
    } finally {
      backingOff.stop(Duration.ofSeconds(1));
    }
  }

  /** The store as the sweep's ledger, counting its reads of due deliveries. */
  private DeliveryLedger countingDue(AtomicInteger reads) {
    return (DeliveryLedger)
        Proxy.newProxyInstance(
            DeliveryLedger.class.getClassLoader(),
            new Class<?>[] {DeliveryLedger.class},
            (proxy, method, args) -> {
              if (method.getName().equals("due")) {
                reads.incrementAndGet();
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void anAcknowledgedEventIsNotSentAgain() {
    // given
    OrganizationId organization = organizationWithWebhook("https://down.example.com");
    sender.answer(message -> new SendResult.Failed("HTTP 500", Optional.empty()));
    Event event = queuedEvent(organization);
    dispatcher.start();
    await(() -> status(event) == DeliveryStatus.RETRYING);
    store.acknowledge(organization, event.id(), clock.instant());

    // when
    clock.advance(Duration.ofSeconds(7));

    // then
    await(() -> outcomes.contains(new DeliverWebhook.Outcome.Skipped(event.id())));
    assertThat(sender.messages()).hasSize(1);
    assertThat(status(event)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void stoppingLetsAnAttemptInFlightFinish() throws Exception {
    // given
    OrganizationId organization = organizationWithWebhook("https://busy.example.com");
    CountDownLatch release = new CountDownLatch(1);
    sender.answer(
        message -> {
          waitFor(release);
          return new SendResult.Delivered(200);
        });
    Event event = queuedEvent(organization);
    dispatcher.start();
    await(() -> sender.messages().size() == 1);

    // when
    Thread stopper = Thread.ofPlatform().start(() -> dispatcher.stop(Duration.ofSeconds(30)));
    await(() -> stopper.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    stopper.join(PATIENCE);

    // then
    assertThat(stopper.isAlive()).isFalse();
    assertThat(status(event)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void stoppingInterruptsAnAttemptThatOutlastsTheGraceAndLeavesItClaimed() throws Exception {
    // given
    OrganizationId organization = organizationWithWebhook("https://hung.example.com");
    AtomicBoolean interrupted = new AtomicBoolean();
    sender.answer(
        message -> {
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.set(true);
            Thread.currentThread().interrupt();
          }
          throw new TriggersException("interrupted");
        });
    Event event = queuedEvent(organization);
    dispatcher.start();
    await(() -> sender.messages().size() == 1);

    // when
    dispatcher.stop(Duration.ofMillis(50));

    // then
    await(interrupted::get);
    Delivery claimed = store.deliveries(organization, event.id()).getFirst().delivery();
    assertThat(claimed.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(claimed.attempts()).isZero();
    assertThat(claimed.nextAttemptAt()).contains(clock.instant().plusSeconds(60));
  }

  private OrganizationId organizationWithWebhook(String url) {
    Organization organization = fixtures.organization();
    store.endpoints().create(organization.id(), fixtures.endpoint(URI.create(url)));
    return organization.id();
  }

  private Event queuedEvent(OrganizationId organization) {
    Event event = fixtures.event(organization);
    AppendResult.Stored stored =
        (AppendResult.Stored) store.append(List.of(event), DeliveryMethod.PUSH).getFirst();
    for (EndpointId endpoint : stored.dueTo()) {
      queue.enqueue(new DeliveryTask(organization, event.id(), endpoint, event.createdAt()));
    }
    return event;
  }

  private StoredEvent stored(Event event) {
    return store.find(event.organizationId(), event.id()).orElseThrow();
  }

  private DeliveryStatus status(Event event) {
    return stored(event).delivery().status();
  }

  /** The in-memory queue, counting how often each event was queued. */
  private static final class CountingQueue implements DeliveryQueue {

    private final DeliveryQueue delegate;
    private final Map<EventId, Integer> queued = new ConcurrentHashMap<>();
    private final AtomicInteger taken = new AtomicInteger();

    CountingQueue(DeliveryQueue delegate) {
      this.delegate = delegate;
    }

    int timesQueued(EventId id) {
      return queued.getOrDefault(id, 0);
    }

    int timesTaken() {
      return taken.get();
    }

    @Override
    public void enqueue(DeliveryTask task) {
      queued.merge(task.eventId(), 1, Integer::sum);
      delegate.enqueue(task);
    }

    @Override
    public List<DeliveryTask> take(int max, Duration wait) throws InterruptedException {
      List<DeliveryTask> tasks = delegate.take(max, wait);
      taken.addAndGet(tasks.size());
      return tasks;
    }

    @Override
    public void complete(DeliveryTask task) {
      delegate.complete(task);
    }

    @Override
    public void holdBack(EndpointId endpoint, Instant until) {
      delegate.holdBack(endpoint, until);
    }
  }

  /** Holds a send until the test releases it, as a receiver slow to answer would. */
  private static void waitFor(CountDownLatch release) {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TriggersException("interrupted");
    }
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the condition did not come true within " + PATIENCE);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }

  /** The service, recording each outcome, chained attempts included. */
  private final class RecordingDeliverWebhook implements DeliverWebhook {

    @Override
    public Outcome deliver(OrganizationId organization, EventId id, EndpointId endpoint) {
      return recorded(service.deliver(organization, id, endpoint));
    }

    @Override
    public Chained deliver(
        OrganizationId organization,
        EventId id,
        EndpointId endpoint,
        Supplier<Optional<EventId>> next) {
      Chained chained = service.deliver(organization, id, endpoint, next);
      recorded(chained.outcome());
      return chained;
    }

    @Override
    public Chained deliverClaimed(
        OrganizationId organization, Claimed claimed, Supplier<Optional<EventId>> next) {
      Chained chained = service.deliverClaimed(organization, claimed, next);
      recorded(chained.outcome());
      return chained;
    }

    private Outcome recorded(Outcome outcome) {
      outcomes.add(outcome);
      return outcome;
    }
  }

  /** The store's ledger, counting claims made alone and claims made with a result. */
  private static final class HandOffCountingLedger implements DeliveryLedger {
    private final InMemoryEventStore store;
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger handedOff = new AtomicInteger();

    HandOffCountingLedger(InMemoryEventStore store) {
      this.store = store;
    }

    @Override
    public Optional<ClaimedAttempt> claim(
        OrganizationId organization,
        EventId id,
        EndpointId endpoint,
        Instant now,
        Instant leaseUntil) {
      claims.incrementAndGet();
      return store.claim(organization, id, endpoint, now, leaseUntil);
    }

    @Override
    public RecordedAndClaimed recordAndClaim(
        OrganizationId organization,
        EventId id,
        EndpointId endpoint,
        Delivery claimed,
        AttemptResult result,
        EventId next,
        Instant now,
        Instant leaseUntil) {
      handedOff.incrementAndGet();
      return new RecordedAndClaimed(
          store.record(organization, id, endpoint, claimed, result),
          store.claim(organization, next, endpoint, now, leaseUntil));
    }

    @Override
    public Optional<Delivery> record(
        OrganizationId organization,
        EventId id,
        EndpointId endpoint,
        Delivery claimed,
        AttemptResult result) {
      return store.record(organization, id, endpoint, claimed, result);
    }

    @Override
    public List<DeliveryTask> due(Instant dueBy, Optional<DeliveryTask> after, int limit) {
      return store.due(dueBy, after, limit);
    }

    @Override
    public Optional<List<DeliveryTask>> scheduleRedelivery(
        OrganizationId organization, EventId id, Collection<EndpointId> endpoints, Instant dueAt) {
      return store.scheduleRedelivery(organization, id, endpoints, dueAt);
    }

    @Override
    public List<EndpointDelivery> deliveries(OrganizationId organization, EventId id) {
      return store.deliveries(organization, id);
    }

    @Override
    public int release(OrganizationId organization, EndpointId endpoint, Instant dueAt) {
      return store.release(organization, endpoint, dueAt);
    }

    @Override
    public int recover(
        OrganizationId organization,
        EndpointId endpoint,
        Instant createdSince,
        Instant dueAt,
        boolean hold) {
      return store.recover(organization, endpoint, createdSince, dueAt, hold);
    }

    @Override
    public int endAll(OrganizationId organization, EndpointId endpoint, String reason) {
      return store.endAll(organization, endpoint, reason);
    }
  }
}

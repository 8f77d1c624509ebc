package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryDeliveryMetrics;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.DeliverWebhook.Outcome;
import io.triggers.core.port.in.ManageEndpoints;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.WebhookSender.SendResult;
import io.triggers.core.testing.FakeWebhookSender;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Auto-disable through the delivery use case: an endpoint whose every attempt failed for the
 * configured period and at least ten times is disabled, once, with a notice in its owner's inbox.
 */
class EndpointAutoDisableTest {

  private static final Duration DISABLE_AFTER = Duration.ofDays(5);
  private static final URI URL = URI.create("https://hooks.example.com/in");

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final Endpoints endpoints = store.endpoints();
  private final FakeWebhookSender sender = new FakeWebhookSender();
  private final WebhookTargetRules rules =
      new WebhookTargetRules(host -> List.of(InetAddress.getLoopbackAddress()), true);
  private final EndpointHealth health =
      new EndpointHealth(endpoints, store, fixtures.ids(), clock, DISABLE_AFTER);
  private final DeliverWebhookService service = deliveringWith(health);
  private final OrganizationId organization = createdOrganization();
  private final Endpoint webhook = endpoints.saveDefault(organization, fixtures.endpoint(URL));

  @Test
  void nineFailuresOverSixDaysLeaveTheEndpointEnabledAndTheTenthDisablesIt() {
    // given
    failing("HTTP 500");
    for (int i = 0; i < 9; i++) {
      if (i > 0) {
        clock.advance(Duration.ofHours(18));
      }
      deliverNewEvent();
    }
    Endpoint afterNine = current();

    // when
    clock.advance(Duration.ofHours(18));
    deliverNewEvent();

    // then
    assertThat(afterNine.status()).isEqualTo(EndpointStatus.ENABLED);
    assertThat(afterNine.failures()).contains(new FailureStreak(MutableClock.DEFAULT_START, 9));
    assertThat(current().status()).isEqualTo(EndpointStatus.DISABLED);
    assertThat(notices())
        .singleElement()
        .satisfies(
            notice ->
                assertThat(notice.payload().json())
                    .isEqualTo(
                        "{\"endpoint_id\":\""
                            + webhook.id()
                            + "\",\"url\":\""
                            + URL
                            + "\",\"reason\":\"failing\",\"last_error\":\"HTTP 500\"}"));
  }

  @Test
  void fiftyFailuresWithinAnHourLeaveTheEndpointEnabled() {
    // given
    failing("HTTP 503");

    // when
    for (int i = 0; i < 50; i++) {
      deliverNewEvent();
      clock.advance(Duration.ofSeconds(70));
    }

    // then
    assertThat(current().status()).isEqualTo(EndpointStatus.ENABLED);
    assertThat(current().failures().orElseThrow().attempts()).isEqualTo(50);
    assertThat(notices()).isEmpty();
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    // given: nine failures over six days, then one success
    failing("HTTP 500");
    for (int i = 0; i < 9; i++) {
      deliverNewEvent();
      clock.advance(Duration.ofHours(18));
    }
    sender.answer(message -> new SendResult.Delivered(200));
    deliverNewEvent();
    Endpoint afterSuccess = current();

    // when
    failing("HTTP 500");
    deliverNewEvent();

    // then
    assertThat(afterSuccess.failures()).isEmpty();
    assertThat(current().status()).isEqualTo(EndpointStatus.ENABLED);
    assertThat(current().failures()).contains(FailureStreak.startedAt(clock.instant()));
  }

  @Test
  void aSuccessfulAttemptToAnEndpointThatIsNotFailingWritesNoFailures() {
    // given
    CountingEndpoints counting = new CountingEndpoints(endpoints);
    DeliverWebhookService watched = watchedBy(counting);
    Event event = scheduledEvent();

    // when
    Outcome outcome = watched.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isInstanceOf(Outcome.Delivered.class);
    assertThat(counting.failureWrites).isZero();
  }

  @Test
  void failuresWhileAWriteRunsAreAddedByItInOneMoreWrite() throws Exception {
    // given: the first failure's write is held up in the store
    failing("HTTP 503");
    HeldUpWrite first = firstFailureHeldUp();

    // when: five more attempts fail meanwhile, and the write goes on
    for (int i = 0; i < 5; i++) {
      deliverNewEvent(first.service());
    }
    int writesMeanwhile = first.counting().failureWrites;
    first.goOn();

    // then
    assertThat(writesMeanwhile).isEqualTo(1);
    assertThat(first.counting().failureWrites).isEqualTo(2);
    assertThat(current().failures()).contains(new FailureStreak(MutableClock.DEFAULT_START, 6));
  }

  @Test
  void failuresAddedByAWriteInProgressDisableTheEndpointOnce() throws Exception {
    // given: one failure, then, past the disable time, a write held up in the store
    failing("HTTP 500");
    deliverNewEvent();
    clock.advance(DISABLE_AFTER);
    HeldUpWrite first = firstFailureHeldUp();

    // when: ten more fail meanwhile
    for (int i = 0; i < 10; i++) {
      deliverNewEvent(first.service());
    }
    Endpoint meanwhile = current();
    first.goOn();

    // then
    assertThat(meanwhile.status()).isEqualTo(EndpointStatus.ENABLED);
    assertThat(current().status()).isEqualTo(EndpointStatus.DISABLED);
    assertThat(current().failures().orElseThrow().attempts()).isEqualTo(12);
    assertThat(notices()).hasSize(1);
  }

  /** The delivery use case, its endpoint health kept in {@code watched} endpoints. */
  private DeliverWebhookService watchedBy(Endpoints watched) {
    return deliveringWith(new EndpointHealth(watched, store, fixtures.ids(), clock, DISABLE_AFTER));
  }

  private DeliverWebhookService deliveringWith(EndpointHealth endpointHealth) {
    return new DeliverWebhookService(
        store,
        rules,
        sender,
        RetrySchedule.standard(),
        new Random(7),
        clock,
        Duration.ofSeconds(60),
        new InMemoryDeliveryMetrics(),
        endpointHealth);
  }

  /**
   * Starts a delivery of a new event, on a thread of its own, whose write of failures is held up in
   * the store; returns once the write has begun.
   */
  private HeldUpWrite firstFailureHeldUp() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountingEndpoints counting = new CountingEndpoints(endpoints, entered, release);
    DeliverWebhookService watched = watchedBy(counting);
    Thread delivering = Thread.ofVirtual().start(() -> deliverNewEvent(watched));
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    return new HeldUpWrite(counting, watched, release, delivering);
  }

  /** A delivery whose write of failures waits, the endpoints counting writes, and its service. */
  private record HeldUpWrite(
      CountingEndpoints counting,
      DeliverWebhookService service,
      CountDownLatch release,
      Thread delivering) {

    /** Lets the held-up write go on and waits for its delivery to end. */
    void goOn() throws InterruptedException {
      release.countDown();
      delivering.join(Duration.ofSeconds(20));
    }
  }

  @Test
  void goneDisablesTheEndpointWithOneNoticeHoweverOftenItIsToldSo() {
    // given
    sender.answer(message -> new SendResult.Gone());
    Event first = scheduledEvent();
    service.deliver(organization, first.id(), webhook.id());

    // when: an attempt that read the endpoint before it was disabled also got 410
    health.gone(organization, webhook, DeliverWebhookService.GONE);

    // then
    assertThat(current().status()).isEqualTo(EndpointStatus.DISABLED);
    assertThat(notices())
        .singleElement()
        .satisfies(
            notice -> {
              assertThat(notice.payload().json()).contains("\"reason\":\"gone\"");
              assertThat(notice.payload().json()).doesNotContain(webhook.signingSecret().value());
            });
  }

  @Test
  void theNoticeIsPulledNeverPushedToTheOrganizationsOtherEndpoints() {
    // given
    Endpoint other = fixtures.endpoint(URI.create("https://other.example.com/all"));
    endpoints.create(organization, other);
    sender.answer(message -> new SendResult.Gone());
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);

    // when
    service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(noticeEntries())
        .singleElement()
        .satisfies(
            notice -> {
              assertThat(notice.status()).isEqualTo(DeliveryStatus.PENDING);
              assertThat(store.deliveries(organization, notice.event().id())).isEmpty();
            });
  }

  @Test
  void reenablingTheEndpointForgetsItsFailuresAndReleasesWhatItHeld() {
    // given
    failing("HTTP 500");
    for (int i = 0; i < 10; i++) {
      deliverNewEvent();
      clock.advance(Duration.ofHours(14));
    }
    assertThat(current().status()).isEqualTo(EndpointStatus.DISABLED);
    Event held = scheduledEvent();
    service.deliver(organization, held.id(), webhook.id());
    ManageEndpointsService manage =
        new ManageEndpointsService(endpoints, store, rules, fixtures.ids(), clock);

    // when
    manage.change(
        organization,
        webhook.id(),
        new ManageEndpoints.Changes(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(EndpointStatus.ENABLED)));

    // then
    assertThat(current().status()).isEqualTo(EndpointStatus.ENABLED);
    assertThat(current().failures()).isEmpty();
    sender.answer(message -> new SendResult.Delivered(200));
    assertThat(service.deliver(organization, held.id(), webhook.id()))
        .isInstanceOf(Outcome.Delivered.class);
  }

  private void failing(String error) {
    sender.answer(message -> new SendResult.Failed(error, Optional.empty()));
  }

  private void deliverNewEvent() {
    deliverNewEvent(service);
  }

  private void deliverNewEvent(DeliverWebhookService through) {
    through.deliver(organization, scheduledEvent().id(), webhook.id());
  }

  private Event scheduledEvent() {
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);
    return event;
  }

  private Endpoint current() {
    return endpoints.find(organization, webhook.id()).orElseThrow();
  }

  private List<Event> notices() {
    return noticeEntries().stream().map(InboxEvent::event).toList();
  }

  private List<InboxEvent> noticeEntries() {
    return store.list(organization, InboxQuery.undelivered()).events().stream()
        .filter(entry -> entry.event().type().value().equals(EndpointHealth.DISABLED_TYPE))
        .toList();
  }

  private OrganizationId createdOrganization() {
    Organization created = fixtures.organization();
    organizations.create(created, fixtures.ids().newApiKey().hash());
    return created.id();
  }

  /** The endpoints, counting the calls that write an endpoint's failures or status. */
  private static final class CountingEndpoints implements Endpoints {

    private final Endpoints delegate;
    private final CountDownLatch firstFailureEntered;
    private final CountDownLatch firstFailureReleased;
    private volatile int failureWrites;

    CountingEndpoints(Endpoints delegate) {
      this(delegate, new CountDownLatch(0), new CountDownLatch(0));
    }

    /** Holds the first write of failures until {@code released}, once it {@code entered}. */
    CountingEndpoints(Endpoints delegate, CountDownLatch entered, CountDownLatch released) {
      this.delegate = delegate;
      this.firstFailureEntered = entered;
      this.firstFailureReleased = released;
    }

    @Override
    public CreateResult create(OrganizationId organization, Endpoint endpoint) {
      return delegate.create(organization, endpoint);
    }

    @Override
    public List<Endpoint> list(OrganizationId organization) {
      return delegate.list(organization);
    }

    @Override
    public Optional<Endpoint> find(OrganizationId organization, EndpointId id) {
      return delegate.find(organization, id);
    }

    @Override
    public boolean replace(OrganizationId organization, Endpoint endpoint) {
      return delegate.replace(organization, endpoint);
    }

    @Override
    public boolean delete(OrganizationId organization, EndpointId id) {
      return delegate.delete(organization, id);
    }

    @Override
    public Endpoint saveDefault(OrganizationId organization, Endpoint endpoint) {
      return delegate.saveDefault(organization, endpoint);
    }

    @Override
    public Optional<Endpoint> findDefault(OrganizationId organization) {
      return delegate.findDefault(organization);
    }

    @Override
    public Optional<EndpointId> deleteDefault(OrganizationId organization) {
      return delegate.deleteDefault(organization);
    }

    @Override
    public Optional<FailureStreak> recordFailures(
        OrganizationId organization, EndpointId id, Instant firstAt, int count) {
      failureWrites++;
      if (firstFailureEntered.getCount() > 0) {
        firstFailureEntered.countDown();
        try {
          firstFailureReleased.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.recordFailures(organization, id, firstAt, count);
    }

    @Override
    public void clearFailures(OrganizationId organization, EndpointId id) {
      failureWrites++;
      delegate.clearFailures(organization, id);
    }

    @Override
    public boolean disable(OrganizationId organization, EndpointId id, URI url, Instant at) {
      failureWrites++;
      return delegate.disable(organization, id, url, at);
    }
  }
}

package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.triggers.core.memory.InMemoryDeliveryMetrics;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.DeliverWebhook.Outcome;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.WebhookMessage;
import io.triggers.core.port.out.WebhookSender.SendResult;
import io.triggers.core.testing.FakeWebhookSender;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class DeliverWebhookServiceTest {

  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final URI URL = URI.create("https://hooks.example.com/in");
  private static final Duration DISABLE_AFTER = Duration.ofDays(5);

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final Endpoints endpoints = store.endpoints();
  private final FakeWebhookSender sender = new FakeWebhookSender();
  private final SettableRandom random = new SettableRandom();
  private final List<InetAddress> addresses = new ArrayList<>(List.of(address(93, 184, 216, 34)));
  private final WebhookTargetRules rules = new WebhookTargetRules(host -> addresses, false);
  private final InMemoryDeliveryMetrics metrics = new InMemoryDeliveryMetrics();
  private final DeliverWebhookService service = service(rules, DISABLE_AFTER);
  private final OrganizationId organization = createdOrganization();
  private final Endpoint webhook = configuredWebhook(organization);

  @Test
  void sendsADueEventSignedWithTheWebhooksSecretAndRecordsItDelivered() {
    // given
    Event event = scheduledEvent();
    Instant now = clock.advance(Duration.ofMillis(3));

    // when
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());

    // then
    Delivery delivered =
        new Delivery(
            DeliveryStatus.DELIVERED,
            1,
            Optional.of(now),
            Optional.empty(),
            Optional.empty(),
            Optional.of(now));
    assertThat(outcome).isEqualTo(new Outcome.Delivered(event.id(), delivered));
    assertThat(sender.messages())
        .containsExactly(new WebhookMessage(URL, webhook.signingSecret(), event, now));
    assertThat(delivery(event)).isEqualTo(delivered);
  }

  @Test
  void retriesAFailedAttemptFiveSecondsLaterWithTheErrorRecorded() {
    // given
    Event event = scheduledEvent();
    sender.answer(message -> new SendResult.Failed("HTTP 500", Optional.empty()));

    // when
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());

    // then
    Delivery retrying =
        new Delivery(
            DeliveryStatus.RETRYING,
            1,
            Optional.of(clock.instant()),
            Optional.of(clock.instant().plusSeconds(5)),
            Optional.of("HTTP 500"),
            Optional.empty());
    assertThat(outcome).isEqualTo(new Outcome.Retrying(event.id(), retrying));
    assertThat(delivery(event)).isEqualTo(retrying);
  }

  @Test
  void logsEachAttemptWithTheEndpointsStatusAndHowLongTheSendTook() {
    // given
    Event event = scheduledEvent();
    Instant first = clock.instant();
    sender.answer(
        message -> {
          clock.advance(Duration.ofMillis(250));
          return new SendResult.Failed("HTTP 503", Optional.empty(), Optional.of(503));
        });
    service.deliver(organization, event.id(), webhook.id());
    Instant second = clock.advance(Duration.ofSeconds(6));
    sender.answer(
        message -> {
          clock.advance(Duration.ofMillis(40));
          return new SendResult.Delivered(204);
        });

    // when
    service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(store.attemptLog().attempts(organization, event.id()))
        .containsExactly(
            new DeliveryAttempt(
                webhook.id(),
                second,
                DeliveryStatus.DELIVERED,
                Optional.of(204),
                Optional.empty(),
                Duration.ofMillis(40)),
            new DeliveryAttempt(
                webhook.id(),
                first,
                DeliveryStatus.RETRYING,
                Optional.of(503),
                Optional.of("HTTP 503"),
                Duration.ofMillis(250)));
  }

  @Test
  void logsAnAttemptRefusedByTheTargetRulesButNoHoldOfAPausedEndpoint() {
    // given
    Event refused = scheduledEvent();
    addresses.set(0, address(10, 0, 0, 7));
    service.deliver(organization, refused.id(), webhook.id());
    addresses.set(0, address(93, 184, 216, 34));
    endpoints.replace(organization, webhook.withStatus(EndpointStatus.PAUSED, clock.instant()));
    Event held = scheduledEvent();

    // when
    service.deliver(organization, held.id(), webhook.id());

    // then
    assertThat(store.attemptLog().attempts(organization, refused.id()))
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.outcome()).isEqualTo(DeliveryStatus.RETRYING);
              assertThat(attempt.statusCode()).isEmpty();
              assertThat(attempt.error().orElseThrow()).contains("private");
            });
    assertThat(store.attemptLog().attempts(organization, held.id())).isEmpty();
    assertThat(sender.messages()).isEmpty();
  }

  @Test
  void followsTheRetryScheduleThenFailsWithTheSameEventInEveryAttempt() {
    // given
    Event event = scheduledEvent();
    sender.answer(message -> new SendResult.Failed("connection refused", Optional.empty()));

    // when
    List<Duration> waits = new ArrayList<>();
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());
    while (outcome instanceof Outcome.Retrying retrying) {
      Instant next = retrying.delivery().nextAttemptAt().orElseThrow();
      waits.add(Duration.between(clock.instant(), next));
      clock.set(next);
      outcome = service.deliver(organization, event.id(), webhook.id());
    }

    // then
    assertThat(waits).containsExactlyElementsOf(RetrySchedule.standard().delays());
    assertThat(outcome)
        .isEqualTo(
            new Outcome.Failed(
                event.id(),
                new Delivery(
                    DeliveryStatus.FAILED,
                    9,
                    Optional.of(clock.instant()),
                    Optional.empty(),
                    Optional.of("connection refused"),
                    Optional.empty())));
    assertThat(sender.messages())
        .hasSize(9)
        .allSatisfy(m -> assertThat(m.event()).isEqualTo(event));
    assertThat(store.list(organization, InboxQuery.undelivered()).events())
        .extracting(stored -> stored.event().id())
        .containsExactly(event.id());
  }

  @Test
  void drawsEachRetrysJitterFromTheRandomSource() {
    // given
    Event early = scheduledEvent();
    Event late = scheduledEvent();
    sender.answer(message -> new SendResult.Failed("HTTP 502", Optional.empty()));

    // when
    random.set(0.0);
    service.deliver(organization, early.id(), webhook.id());
    random.set(Math.nextDown(1.0));
    service.deliver(organization, late.id(), webhook.id());

    // then
    assertThat(delivery(early).nextAttemptAt()).contains(clock.instant().plusSeconds(4));
    assertThat(delivery(late).nextAttemptAt()).contains(clock.instant().plusSeconds(6));
  }

  @Test
  void waitsAsLongAsRetryAfterAsks() {
    // given
    Event event = scheduledEvent();
    sender.answer(message -> new SendResult.Failed("HTTP 429", Optional.of(Duration.ofMinutes(5))));

    // when
    service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(delivery(event).nextAttemptAt())
        .contains(clock.instant().plus(Duration.ofMinutes(5)));
  }

  @Test
  void goneDisablesTheEndpointAndHoldsItsDeliveriesInTheInbox() {
    // given
    Event gone = scheduledEvent();
    Event next = scheduledEvent();
    sender.answer(message -> new SendResult.Gone());

    // when
    Outcome first = service.deliver(organization, gone.id(), webhook.id());
    Outcome second = service.deliver(organization, next.id(), webhook.id());

    // then
    assertThat(first).isInstanceOf(Outcome.Held.class);
    assertThat(delivery(gone).status()).isEqualTo(DeliveryStatus.HELD);
    assertThat(delivery(gone).attempts()).isEqualTo(1);
    assertThat(delivery(gone).lastError()).contains(DeliverWebhookService.GONE);
    assertThat(endpoints.find(organization, webhook.id()).map(Endpoint::status))
        .contains(EndpointStatus.DISABLED);
    assertThat(second).isInstanceOf(Outcome.Held.class);
    assertThat(delivery(next).attempts()).isZero();
    assertThat(delivery(next).lastError()).contains(DeliverWebhookService.NOT_ENABLED);
    assertThat(sender.messages()).hasSize(1);
    assertThat(store.list(organization, InboxQuery.undelivered()).events())
        .extracting(entry -> entry.event().type().value())
        .containsExactlyInAnyOrder(
            Fixtures.DEFAULT_TYPE.value(),
            Fixtures.DEFAULT_TYPE.value(),
            EndpointHealth.DISABLED_TYPE);
  }

  @Test
  void goneKeepsEnabledAnEndpointGivenANewAddressWhileTheAttemptWasUnderway() {
    // given
    Event event = scheduledEvent();
    sender.answer(
        message -> {
          endpoints.saveDefault(
              organization, fixtures.endpoint(URI.create("https://new.example.com/in")));
          return new SendResult.Gone();
        });

    // when
    service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(endpoints.findDefault(organization).map(Endpoint::status))
        .contains(EndpointStatus.ENABLED);
  }

  @Test
  void refusesAWebhookThatNowResolvesToAPrivateAddressAndRetriesLater() {
    // given
    Event event = scheduledEvent();
    addresses.set(0, address(10, 0, 0, 7));

    // when
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isInstanceOf(Outcome.Retrying.class);
    assertThat(delivery(event).lastError().orElseThrow()).contains("private");
    assertThat(sender.messages()).isEmpty();
  }

  @Test
  void sendsNothingWhenResolvingTheHostLeftTooLittleOfTheLease() {
    // given
    Event event = scheduledEvent();
    WebhookTargetRules slowDns =
        new WebhookTargetRules(
            host -> {
              clock.advance(LEASE.minusSeconds(5));
              return addresses;
            },
            false);
    DeliverWebhookService slowService = service(slowDns, DISABLE_AFTER);

    // when
    Outcome outcome = slowService.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isInstanceOf(Outcome.Retrying.class);
    assertThat(delivery(event).lastError()).contains(DeliverWebhookService.LEASE_RAN_SHORT);
    assertThat(sender.messages()).isEmpty();
  }

  @Test
  void skipsAnEventThatIsNotDueAcknowledgedOrGone() {
    // given
    Event inboxOnly = fixtures.event(organization);
    store.append(List.of(inboxOnly), DeliveryMethod.PULL);
    Event acknowledged = scheduledEvent();
    store.acknowledge(organization, acknowledged.id(), clock.instant());
    Event deleted = scheduledEvent();
    store.delete(organization, deleted.id());

    // when / then
    assertThat(service.deliver(organization, inboxOnly.id(), webhook.id()))
        .isEqualTo(new Outcome.Skipped(inboxOnly.id()));
    assertThat(service.deliver(organization, acknowledged.id(), webhook.id()))
        .isEqualTo(new Outcome.Skipped(acknowledged.id()));
    assertThat(service.deliver(organization, deleted.id(), webhook.id()))
        .isEqualTo(new Outcome.Skipped(deleted.id()));
    assertThat(sender.messages()).isEmpty();
  }

  @Test
  void skipsAnAttemptAnotherWorkerHasClaimed() {
    // given
    Event event = scheduledEvent();
    store.claim(
        organization, event.id(), webhook.id(), clock.instant(), clock.instant().plus(LEASE));

    // when
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.Skipped(event.id()));
    assertThat(sender.messages()).isEmpty();
  }

  @Test
  void anAcknowledgementDuringTheAttemptStopsFurtherAttempts() {
    // given
    Event event = scheduledEvent();
    sender.answer(
        message -> {
          store.acknowledge(organization, event.id(), clock.instant());
          return new SendResult.Failed("HTTP 500", Optional.empty());
        });

    // when
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());
    clock.advance(Duration.ofMinutes(1));
    Outcome later = service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.Skipped(event.id()));
    assertThat(later).isEqualTo(new Outcome.Skipped(event.id()));
    assertThat(delivery(event).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(sender.messages()).hasSize(1);
  }

  @Test
  void anAcknowledgementBetweenAttemptsStopsTheRetries() {
    // given
    Event event = scheduledEvent();
    sender.answer(message -> new SendResult.Failed("HTTP 500", Optional.empty()));
    service.deliver(organization, event.id(), webhook.id());
    store.acknowledge(organization, event.id(), clock.instant());

    // when
    clock.advance(Duration.ofMinutes(1));
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.Skipped(event.id()));
    assertThat(sender.messages()).hasSize(1);
  }

  @Test
  void redeliveringAFailedEventSendsItAgainWithAFreshSchedule() {
    // given
    Event event = scheduledEvent();
    sender.answer(message -> new SendResult.Gone());
    service.deliver(organization, event.id(), webhook.id());
    endpoints.saveDefault(organization, fixtures.endpoint(URL));
    RedeliverEventService redeliver =
        new RedeliverEventService(
            store,
            store,
            endpoints,
            new InMemoryDeliveryQueue(clock, 10, LEASE),
            store.leases(),
            clock,
            InboxState.DEFAULT_MAX_LEASES);
    sender.answer(message -> new SendResult.Failed("HTTP 503", Optional.empty()));
    clock.advance(Duration.ofMinutes(1));

    // when
    redeliver.redeliver(organization, event.id());
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(outcome).isInstanceOf(Outcome.Retrying.class);
    assertThat(delivery(event).attempts()).isEqualTo(1);
    assertThat(delivery(event).nextAttemptAt()).contains(clock.instant().plusSeconds(5));
    assertThat(sender.messages()).hasSize(2);
  }

  @Test
  void sendsToTheWebhookAsItIsWhenTheAttemptIsMade() {
    // given
    service.deliver(organization, scheduledEvent().id(), webhook.id());
    Endpoint replacement =
        endpoints.saveDefault(
            organization, fixtures.endpoint(URI.create("https://new.example.com/in")));

    // when
    service.deliver(organization, scheduledEvent().id(), webhook.id());

    // then
    assertThat(sender.messages())
        .extracting(WebhookMessage::url, WebhookMessage::secret)
        .containsExactly(
            tuple(URL, webhook.signingSecret()),
            tuple(replacement.url(), replacement.signingSecret()));
  }

  @Test
  void reportsADeliveredAttemptWithTheTimeSinceTheEventWasIngested() {
    // given
    Event event = scheduledEvent();
    clock.advance(Duration.ofMillis(250));

    // when
    service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(metrics.attempts(AttemptResult.Delivered.class)).isEqualTo(1);
    assertThat(metrics.deliveries()).isEqualTo(1);
    assertThat(metrics.totalLatency()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void reportsEveryFailedAttemptAndTheFinalFailureButNoDelivery() {
    // given
    Event event = scheduledEvent();
    sender.answer(message -> new SendResult.Failed("HTTP 503", Optional.empty()));

    // when
    Outcome outcome = service.deliver(organization, event.id(), webhook.id());
    while (outcome instanceof Outcome.Retrying retrying) {
      clock.set(retrying.delivery().nextAttemptAt().orElseThrow());
      outcome = service.deliver(organization, event.id(), webhook.id());
    }

    // then
    assertThat(metrics.attempts(AttemptResult.Retrying.class))
        .isEqualTo(RetrySchedule.standard().delays().size());
    assertThat(metrics.attempts(AttemptResult.Failed.class)).isEqualTo(1);
    assertThat(metrics.attempts(AttemptResult.Delivered.class)).isZero();
    assertThat(metrics.deliveries()).isZero();
  }

  @Test
  void reportsAnAttemptAbandonedForWantOfAnEndpoint() {
    // given
    Event event = scheduledEvent();
    endpoints.deleteDefault(organization);

    // when
    service.deliver(organization, event.id(), webhook.id());

    // then
    assertThat(metrics.attempts(AttemptResult.Abandoned.class)).isEqualTo(1);
    assertThat(sender.messages()).isEmpty();
  }

  @Test
  void reportsNothingForASkippedAttemptOrOneOvertakenBeforeItWasRecorded() {
    // given
    Event claimed = scheduledEvent();
    store.claim(
        organization, claimed.id(), webhook.id(), clock.instant(), clock.instant().plus(LEASE));
    Event overtaken = scheduledEvent();
    sender.answer(
        message -> {
          store.acknowledge(organization, overtaken.id(), clock.instant());
          return new SendResult.Delivered(200);
        });

    // when
    service.deliver(organization, claimed.id(), webhook.id());
    service.deliver(organization, overtaken.id(), webhook.id());

    // then
    assertThat(metrics.attempts(AttemptResult.Delivered.class)).isZero();
    assertThat(metrics.deliveries()).isZero();
  }

  private DeliverWebhookService service(WebhookTargetRules targetRules, Duration disableAfter) {
    return new DeliverWebhookService(
        store,
        targetRules,
        sender,
        RetrySchedule.standard(),
        random,
        clock,
        LEASE,
        metrics,
        new EndpointHealth(endpoints, store, fixtures.ids(), clock, disableAfter));
  }

  private Event scheduledEvent() {
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);
    return event;
  }

  private Delivery delivery(Event event) {
    return store.find(organization, event.id()).map(StoredEvent::delivery).orElseThrow();
  }

  private OrganizationId createdOrganization() {
    Organization created = fixtures.organization();
    organizations.create(created, fixtures.ids().newApiKey().hash());
    return created.id();
  }

  private Endpoint configuredWebhook(OrganizationId owner) {
    return endpoints.saveDefault(owner, fixtures.endpoint(URL));
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A random source whose next double a test sets; any other draw is a bug in the service. */
  private static final class SettableRandom implements RandomGenerator {

    private volatile double next = 0.5;

    void set(double value) {
      next = value;
    }

    @Override
    public double nextDouble() {
      return next;
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("the service draws doubles only");
    }
  }
}

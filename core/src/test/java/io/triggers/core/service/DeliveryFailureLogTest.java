package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryDeliveryMetrics;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.Event;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.out.WebhookSender.SendResult;
import io.triggers.core.testing.FakeWebhookSender;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.RecordingLogger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The warning a failing webhook leaves in the log, per organization and endpoint. */
class DeliveryFailureLogTest {

  private static final URI URL =
      URI.create("https://hooks.example.com:8443/services/T0K3N/secret-path?token=hunter2");

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final FakeWebhookSender sender = new FakeWebhookSender();
  private final RecordingLogger logger = new RecordingLogger();
  private final AtomicLong nanos = new AtomicLong();
  private final DeliverWebhookService service =
      new DeliverWebhookService(
          store,
          new WebhookTargetRules(host -> List.of(InetAddress.getLoopbackAddress()), true),
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
              EndpointHealth.DEFAULT_DISABLE_AFTER),
          logger,
          nanos::get);

  @Test
  void warnsOnceAboutAFailingEndpointThenCountsItsFailuresPerInterval() {
    // given
    OrganizationId organization = organizationWithWebhook();
    sender.answer(message -> new SendResult.Failed("HTTP 503", Optional.empty()));

    // when: twelve failures within the interval, then one after it
    for (int i = 0; i < 12; i++) {
      service.deliver(
          organization,
          scheduledEvent(organization).id(),
          store.endpoints().findDefault(organization).orElseThrow().id());
    }
    nanos.addAndGet(DeliverWebhookService.FAILURE_LOG_INTERVAL.toNanos());
    service.deliver(
        organization,
        scheduledEvent(organization).id(),
        store.endpoints().findDefault(organization).orElseThrow().id());

    // then
    String endpoint =
        "Webhook deliveries of organization " + organization + " to https://hooks.example.com:8443";
    assertThat(logger.lines()).extracting(RecordingLogger.Line::level).containsOnly(Level.WARNING);
    assertThat(logger.messages())
        .containsExactly(
            endpoint + " failed: HTTP 503",
            endpoint + " failed 12 times in the last 60 s: HTTP 503");
  }

  @Test
  void warnsAboutEachOrganizationsEndpointAlone() {
    // given
    OrganizationId first = organizationWithWebhook();
    OrganizationId second = organizationWithWebhook();
    sender.answer(message -> new SendResult.Failed("could not connect", Optional.empty()));

    // when
    service.deliver(
        first, scheduledEvent(first).id(), store.endpoints().findDefault(first).orElseThrow().id());
    service.deliver(
        first, scheduledEvent(first).id(), store.endpoints().findDefault(first).orElseThrow().id());
    service.deliver(
        second,
        scheduledEvent(second).id(),
        store.endpoints().findDefault(second).orElseThrow().id());

    // then
    assertThat(logger.messages())
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).contains(first.toString()))
        .anySatisfy(line -> assertThat(line).contains(second.toString()));
  }

  @Test
  void neverLogsThePayloadTheSecretOrTheUrlsPathAndQuery() {
    // given
    OrganizationId organization = organizationWithWebhook();
    Endpoint webhook = store.endpoints().findDefault(organization).orElseThrow();
    Event event = scheduledEvent(organization);
    sender.answer(message -> new SendResult.Gone());

    // when
    service.deliver(
        organization, event.id(), store.endpoints().findDefault(organization).orElseThrow().id());

    // then
    assertThat(logger.messages()).hasSize(1);
    assertThat(logger.messages().getFirst())
        .contains(DeliverWebhookService.GONE)
        .doesNotContain(
            event.payload().json(),
            webhook.signingSecret().value(),
            "T0K3N",
            "secret-path",
            "hunter2");
  }

  @Test
  void logsNothingWhileDeliveriesSucceed() {
    // given
    OrganizationId organization = organizationWithWebhook();

    // when
    service.deliver(
        organization,
        scheduledEvent(organization).id(),
        store.endpoints().findDefault(organization).orElseThrow().id());

    // then
    assertThat(logger.lines()).isEmpty();
  }

  private OrganizationId organizationWithWebhook() {
    Organization created = fixtures.organization();
    organizations.create(created, fixtures.ids().newApiKey().hash());
    store.endpoints().saveDefault(created.id(), fixtures.endpoint(URL));
    return created.id();
  }

  private Event scheduledEvent(OrganizationId organization) {
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);
    return event;
  }
}

package io.triggers.core.service;

import static io.triggers.core.model.DeliveryStatus.DELIVERED;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.RedeliverEvent.Outcome;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedeliverEventServiceTest {

  private static final int MAX_LEASES = 2;

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final InMemoryDeliveryQueue queue =
      new InMemoryDeliveryQueue(clock, 100, Duration.ofSeconds(30));
  private final RedeliverEventService service =
      new RedeliverEventService(
          store, store, store.endpoints(), queue, store.leases(), clock, MAX_LEASES);
  private final OrganizationId organization = createdOrganization();

  @Test
  void schedulesAnEventForDeliveryNow() throws Exception {
    // given
    EndpointId endpoint = webhookOf(organization);
    Event event = stored(organization);
    Delivery delivered = store.acknowledge(organization, event.id(), clock.instant()).orElseThrow();
    Instant now = clock.advance(Duration.ofMinutes(1));

    // when
    Outcome outcome = service.redeliver(organization, event.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.Scheduled(event.id(), delivered.redeliverAt(now)));
    assertThat(store.find(organization, event.id()).map(StoredEvent::delivery))
        .contains(delivered.redeliverAt(now));
    assertThat(queue.take(10, Duration.ZERO))
        .containsExactly(new DeliveryTask(organization, event.id(), endpoint, now));
  }

  @Test
  void findsNoUnknownEvent() throws Exception {
    // given
    webhookOf(organization);

    // when
    Outcome outcome = service.redeliver(organization, fixtures.eventId());

    // then
    assertThat(outcome).isEqualTo(new Outcome.NotFound());
    assertThat(queue.take(10, Duration.ZERO)).isEmpty();
  }

  @Test
  void findsNoEventOfAnotherOrganization() throws Exception {
    // given
    OrganizationId owner = createdOrganization();
    webhookOf(owner);
    webhookOf(organization);
    Event foreign = stored(owner);
    store.acknowledge(owner, foreign.id(), clock.instant());

    // when
    Outcome outcome = service.redeliver(organization, foreign.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.NotFound());
    assertThat(store.find(owner, foreign.id()).map(s -> s.delivery().deliveredAt()))
        .contains(Optional.of(clock.instant()));
    assertThat(queue.take(10, Duration.ZERO)).isEmpty();
  }

  @Test
  void refusesWithoutAWebhook() throws Exception {
    // given
    Event event = stored(organization);

    // when
    Outcome outcome = service.redeliver(organization, event.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.NoWebhook());
    assertThat(queue.take(10, Duration.ZERO)).isEmpty();
  }

  @Test
  void revivesADeadEventWithoutAWebhook() throws Exception {
    // given
    Event event = stored(organization);
    killed(event);

    // when
    Outcome outcome = service.redeliver(organization, event.id());

    // then
    assertThat(outcome).isEqualTo(new Outcome.Revived(event.id(), Delivery.pending()));
    assertThat(store.leases().state(organization, event.id())).contains(InboxState.fresh());
    assertThat(queue.take(10, Duration.ZERO)).isEmpty();
  }

  @Test
  void revivesADeadEventAndSchedulesItWithAWebhook() throws Exception {
    // given
    webhookOf(organization);
    Event event = stored(organization);
    killed(event);
    Instant now = clock.instant();

    // when
    Outcome outcome = service.redeliver(organization, event.id());

    // then
    assertThat(outcome)
        .isEqualTo(new Outcome.Scheduled(event.id(), Delivery.pending().redeliverAt(now)));
    assertThat(store.leases().state(organization, event.id())).contains(InboxState.fresh());
  }

  /** Leases the event until its lease count is used up and its last lease has run out. */
  private void killed(Event event) {
    for (int i = 0; i < MAX_LEASES; i++) {
      Instant now = clock.instant();
      store
          .leases()
          .lease(
              organization,
              new LeaseRequest(
                  fixtures.ids().newLeaseId(),
                  1,
                  Optional.empty(),
                  now,
                  now.plusSeconds(1),
                  MAX_LEASES));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(
            store.leases().state(organization, event.id()).orElseThrow().isDead(clock.instant(), 2))
        .isTrue();
  }

  @Test
  void redeliversToTheOneEndpointAskedForAndNoOther() throws Exception {
    // given
    EndpointId webhook = webhookOf(organization);
    EndpointId other = created(fixtures.endpoint());
    Event event = pushed(organization);
    store.acknowledge(organization, event.id(), clock.instant());
    Instant now = clock.advance(Duration.ofMinutes(1));

    // when
    Outcome outcome = service.redeliver(organization, event.id(), other);

    // then
    assertThat(outcome).isInstanceOf(Outcome.Scheduled.class);
    assertThat(queue.take(10, Duration.ZERO))
        .containsExactly(new DeliveryTask(organization, event.id(), other, now));
    assertThat(store.deliveries(organization, event.id()))
        .filteredOn(delivery -> delivery.endpointId().equals(webhook))
        .singleElement()
        .satisfies(delivery -> assertThat(delivery.delivery().status()).isEqualTo(DELIVERED));
  }

  @Test
  void refusesAnotherOrganizationsEndpointAndOneThatDoesNotTakeTheEventsType() throws Exception {
    // given
    OrganizationId stranger = createdOrganization();
    EndpointId foreign = webhookOf(stranger);
    EndpointId invoicesOnly =
        created(
            Endpoint.created(
                fixtures.ids().newEndpointId(),
                URI.create("https://hooks.example.com/invoices"),
                fixtures.ids().newSigningSecret(),
                List.of(new EventTypeFilter("invoice.*")),
                Optional.empty(),
                clock.instant()));
    Event event = pushed(organization);

    // when / then
    assertThat(service.redeliver(organization, event.id(), foreign))
        .isEqualTo(new Outcome.EndpointNotFound());
    assertThat(service.redeliver(organization, event.id(), invoicesOnly))
        .isEqualTo(new Outcome.NotSubscribed());
    assertThat(service.redeliver(stranger, event.id(), foreign)).isEqualTo(new Outcome.NotFound());
    assertThat(queue.take(10, Duration.ZERO)).isEmpty();
  }

  private EndpointId created(Endpoint endpoint) {
    store.endpoints().create(organization, endpoint);
    return endpoint.id();
  }

  private Event pushed(OrganizationId owner) {
    Event event = fixtures.event(owner);
    store.append(List.of(event), DeliveryMethod.PUSH);
    return event;
  }

  private Event stored(OrganizationId owner) {
    Event event = fixtures.event(owner);
    store.append(List.of(event), DeliveryMethod.PULL);
    return event;
  }

  private OrganizationId createdOrganization() {
    Organization created = fixtures.organization();
    organizations.create(created, fixtures.ids().newApiKey().hash());
    return created.id();
  }

  /** Gives the organization a webhook (its default endpoint); returns the endpoint's id. */
  private EndpointId webhookOf(OrganizationId owner) {
    return store
        .endpoints()
        .saveDefault(owner, fixtures.endpoint(URI.create("https://hooks.example.com/in")))
        .id();
  }
}

package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.RecoverEndpoint.Outcome;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoverEndpointServiceTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final RecoverEndpointService service =
      new RecoverEndpointService(store.endpoints(), store, clock);
  private final OrganizationId organization = fixtures.organization().id();
  private final Endpoint endpoint =
      store.endpoints().saveDefault(organization, fixtures.endpoint());

  @Test
  void makesTheEndpointsFailedDeliveriesDueNow() {
    // given
    Instant since = clock.instant();
    Event event = failedEvent();
    Instant now = clock.advance(Duration.ofHours(12));

    // when
    Outcome outcome = service.recover(organization, endpoint.id(), since);

    // then
    assertThat(outcome).isEqualTo(new Outcome.Recovered(1, false));
    Delivery delivery = store.deliveries(organization, event.id()).getFirst().delivery();
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(delivery.nextAttemptAt()).contains(now);
  }

  @Test
  void holdsThemWhileTheEndpointIsPaused() {
    // given
    Instant since = clock.instant();
    Event event = failedEvent();
    store
        .endpoints()
        .replace(organization, endpoint.withStatus(EndpointStatus.PAUSED, clock.instant()));

    // when
    Outcome outcome = service.recover(organization, endpoint.id(), since);

    // then
    assertThat(outcome).isEqualTo(new Outcome.Recovered(1, true));
    assertThat(store.deliveries(organization, event.id()).getFirst().delivery().status())
        .isEqualTo(DeliveryStatus.HELD);
  }

  @Test
  void refusesATimeInTheFutureAndAnotherOrganizationsEndpoint() {
    // given
    Event event = failedEvent();
    OrganizationId stranger = fixtures.organization().id();

    // when
    Outcome future = service.recover(organization, endpoint.id(), clock.instant().plusSeconds(1));
    Outcome foreign = service.recover(stranger, endpoint.id(), event.createdAt());
    Outcome foreignInFuture =
        service.recover(stranger, endpoint.id(), clock.instant().plusSeconds(1));

    // then
    assertThat(future).isEqualTo(new Outcome.SinceInFuture());
    assertThat(foreign).isEqualTo(new Outcome.NotFound());
    assertThat(foreignInFuture).isEqualTo(new Outcome.NotFound());
    assertThat(store.deliveries(organization, event.id()).getFirst().delivery().status())
        .isEqualTo(DeliveryStatus.FAILED);
  }

  private Event failedEvent() {
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);
    Instant at = clock.advance(Duration.ofMillis(1));
    Delivery claimed =
        store
            .claim(organization, event.id(), endpoint.id(), at, at.plusSeconds(60))
            .orElseThrow()
            .stored()
            .delivery();
    store.record(
        organization, event.id(), endpoint.id(), claimed, new AttemptResult.Failed(at, "HTTP 500"));
    return event;
  }
}

package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.AcknowledgeEvents.Acknowledgement;
import io.triggers.core.port.in.AcknowledgeEvents.BatchAcknowledgement;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcknowledgeEventsServiceTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final AcknowledgeEventsService service = new AcknowledgeEventsService(store, clock);
  private final OrganizationId organization = fixtures.organization().id();

  @Test
  void marksTheEventDeliveredNow() {
    // given
    Event event = stored(organization);
    Instant now = clock.advance(Duration.ofSeconds(3));

    // when
    Optional<Acknowledgement> acknowledgement = service.acknowledge(organization, event.id());

    // then
    assertThat(acknowledgement).contains(new Acknowledgement(event.id(), now));
    assertThat(store.find(organization, event.id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.DELIVERED);
  }

  @Test
  void acknowledgingTwiceReportsTheFirstTime() {
    // given
    Event event = stored(organization);
    Instant first = clock.advance(Duration.ofSeconds(1));
    service.acknowledge(organization, event.id());
    clock.advance(Duration.ofMinutes(5));

    // when
    Optional<Acknowledgement> again = service.acknowledge(organization, event.id());

    // then
    assertThat(again).contains(new Acknowledgement(event.id(), first));
  }

  @Test
  void findsNothingToAcknowledgeForAnUnknownOrForeignEvent() {
    // given
    Event foreign = stored(fixtures.organization().id());

    // when / then
    assertThat(service.acknowledge(organization, fixtures.eventId())).isEmpty();
    assertThat(service.acknowledge(organization, foreign.id())).isEmpty();
  }

  @Test
  void acknowledgesTheKnownIdsOfABatchAndReportsTheOthers() {
    // given
    Event first = stored(organization);
    Event second = stored(organization);
    Event foreign = stored(fixtures.organization().id());
    EventId unknown = fixtures.eventId();

    // when
    BatchAcknowledgement result =
        service.acknowledgeAll(
            organization, List.of(first.id(), unknown, second.id(), first.id(), foreign.id()));

    // then
    assertThat(result).isEqualTo(new BatchAcknowledgement(2, List.of(unknown, foreign.id())));
    assertThat(store.find(organization, second.id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.DELIVERED);
  }

  @Test
  void refusesABatchOfMoreThanAThousandIds() {
    // given
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < 1_001; i++) {
      ids.add(fixtures.eventId());
    }

    // when / then
    assertThatThrownBy(() -> service.acknowledgeAll(organization, ids))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Event stored(OrganizationId owner) {
    Event event = fixtures.event(owner);
    store.append(List.of(event), DeliveryMethod.PULL);
    return event;
  }
}

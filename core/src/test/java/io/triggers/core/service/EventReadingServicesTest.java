package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventReadingServicesTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final GetEventService get = new GetEventService(store, store);
  private final ListInboxService list = new ListInboxService(store);
  private final DeleteEventService delete = new DeleteEventService(store);
  private final OrganizationId organization = fixtures.organization().id();
  private final OrganizationId stranger = fixtures.organization().id();

  @Test
  void getsTheOrganizationsOwnEventOnly() {
    // given
    Event event = stored();

    // when / then
    assertThat(get.get(organization, event.id()))
        .contains(new GetEvent.Found(new StoredEvent(event, Delivery.pending()), List.of()));
    assertThat(get.get(stranger, event.id())).isEmpty();
  }

  @Test
  void listsTheUndeliveredInboxNewestFirst() {
    // given
    Event older = stored();
    clock.advance(Duration.ofMillis(5));
    Event newer = stored();
    Event delivered = stored();
    store.acknowledge(organization, delivered.id(), clock.instant());

    // when
    InboxPage page = list.list(organization, InboxQuery.undelivered());

    // then
    assertThat(page.events())
        .extracting(s -> s.event().id())
        .containsExactly(newer.id(), older.id());
    assertThat(list.list(stranger, InboxQuery.undelivered()).events()).isEmpty();
  }

  @Test
  void deletesTheOrganizationsOwnEventOnly() {
    // given
    Event event = stored();

    // when
    boolean byStranger = delete.delete(stranger, event.id());
    boolean byOwner = delete.delete(organization, event.id());

    // then
    assertThat(byStranger).isFalse();
    assertThat(byOwner).isTrue();
    assertThat(get.get(organization, event.id())).isEmpty();
    assertThat(delete.delete(organization, event.id())).isFalse();
  }

  private Event stored() {
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PULL);
    return event;
  }
}

package io.triggers.core.testing;

import static io.triggers.core.model.DeliveryMethod.PULL;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.Inbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Inbox} must do: listing pages in keyset order with their filters, and
 * acknowledging; extend it with a factory for the implementation.
 */
public abstract class InboxContract extends EventStorageContract {

  @Test
  void listsOnlyTheOrganizationsOwnEvents() throws Exception {
    // given
    OrganizationId first = organization();
    OrganizationId second = organization();
    Event mine = fixtures.event(first);
    append(mine);
    append(fixtures.event(second));

    // when
    InboxPage page = inbox.list(first, query(ALL_STATUSES, 10));

    // then
    assertThat(ids(page)).containsExactly(mine.id());
  }

  @Test
  void listsUndeliveredEventsNewestFirstByDefault() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);

    // when
    InboxPage page = inbox.list(organization, InboxQuery.undelivered());

    // then
    assertThat(ids(page)).containsExactlyElementsOf(ids(events).reversed());
    assertThat(page.next()).isEmpty();
  }

  @Test
  void listsOldestFirstWhenAsked() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);

    // when
    InboxPage page = inbox.list(organization, query(ALL_STATUSES, 10, SortOrder.OLDEST_FIRST));

    // then
    assertThat(ids(page)).containsExactlyElementsOf(ids(events));
  }

  @Test
  void ordersEventsOfTheSameMillisecondById() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(fixtures.event(organization));
    }
    for (Event event : events.reversed()) {
      append(event);
    }

    // when
    InboxPage oldestFirst =
        inbox.list(organization, query(ALL_STATUSES, 10, SortOrder.OLDEST_FIRST));
    InboxPage newestFirst =
        inbox.list(organization, query(ALL_STATUSES, 10, SortOrder.NEWEST_FIRST));

    // then
    assertThat(ids(oldestFirst)).containsExactlyElementsOf(ids(events));
    assertThat(ids(newestFirst)).containsExactlyElementsOf(ids(events).reversed());
  }

  @Test
  void returnsAtMostTheLimitWithACursorToTheRest() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 5);

    // when
    InboxPage page = inbox.list(organization, query(ALL_STATUSES, 2, SortOrder.OLDEST_FIRST));

    // then
    assertThat(ids(page)).containsExactly(events.get(0).id(), events.get(1).id());
    assertThat(page.next()).contains(InboxCursor.after(events.get(1)));
  }

  @Test
  void givesNoCursorWhenThePageEndsExactlyAtTheLastEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    appendSpacedEvents(organization, 3);

    // when
    InboxPage page = inbox.list(organization, query(ALL_STATUSES, 3, SortOrder.NEWEST_FIRST));

    // then
    assertThat(page.events()).hasSize(3);
    assertThat(page.next()).isEmpty();
  }

  @Test
  void listsNothingForAnOrganizationWithoutEvents() throws Exception {
    // when
    InboxPage page = inbox.list(organization(), InboxQuery.undelivered());

    // then
    assertThat(page.events()).isEmpty();
    assertThat(page.next()).isEmpty();
  }

  @Test
  void pagesOldestFirstThroughEveryEventOnce() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 7);
    events.addAll(appendSameMillisecondEvents(organization, 6));

    // when
    List<EventId> listed = pageThrough(organization, SortOrder.OLDEST_FIRST, 4, 0);

    // then
    assertThat(listed).containsExactlyElementsOf(ids(events));
  }

  @Test
  void pagesNewestFirstThroughEveryEventOnce() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSameMillisecondEvents(organization, 6);
    events.addAll(appendSpacedEvents(organization, 7));

    // when
    List<EventId> listed = pageThrough(organization, SortOrder.NEWEST_FIRST, 4, 0);

    // then
    assertThat(listed).containsExactlyElementsOf(ids(events).reversed());
  }

  @Test
  void pagingOldestFirstWhileEventsArriveNeitherSkipsNorRepeats() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> before = appendSpacedEvents(organization, 10);

    // when
    List<EventId> listed = pageThrough(organization, SortOrder.OLDEST_FIRST, 3, 2);

    // then
    List<InboxEvent> everything =
        inbox.list(organization, query(ALL_STATUSES, 1000, SortOrder.OLDEST_FIRST)).events();
    assertThat(everything).hasSizeGreaterThan(before.size());
    assertThat(listed)
        .containsExactlyElementsOf(everything.stream().map(s -> s.event().id()).toList());
  }

  @Test
  void pagingNewestFirstWhileEventsArriveNeitherSkipsNorRepeats() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> before = appendSpacedEvents(organization, 10);

    // when
    List<EventId> listed = pageThrough(organization, SortOrder.NEWEST_FIRST, 3, 2);

    // then
    assertThat(listed).containsExactlyElementsOf(ids(before).reversed());
  }

  @Test
  void listsOnlyTheAskedStatuses() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);
    inbox.acknowledge(organization, events.get(1).id(), clock.instant());

    // when
    InboxPage undelivered = inbox.list(organization, InboxQuery.undelivered());
    InboxPage delivered =
        inbox.list(
            organization, query(Set.of(DeliveryStatus.DELIVERED), 10, SortOrder.NEWEST_FIRST));
    InboxPage all = inbox.list(organization, query(ALL_STATUSES, 10));

    // then
    assertThat(ids(undelivered)).containsExactly(events.get(2).id(), events.get(0).id());
    assertThat(ids(delivered)).containsExactly(events.get(1).id());
    assertThat(ids(all)).containsExactlyElementsOf(ids(events).reversed());
  }

  @Test
  void listsEachEventWithItsOwnDeliveryStatusAndAttempts() throws Exception {
    // given: one event waiting, one retrying after a failed attempt, one delivered
    OrganizationId organization = organization();
    Event waiting = fixtures.event(organization);
    clock.advance(STEP);
    Event retrying = fixtures.event(organization);
    clock.advance(STEP);
    Event delivered = fixtures.event(organization);
    push(List.of(waiting, retrying, delivered));
    Instant attemptedAt = clock.advance(STEP);
    Instant lease = attemptedAt.plus(LEASE);
    Delivery claimed =
        ledger
            .claim(organization, retrying.id(), endpointOf(organization), attemptedAt, lease)
            .orElseThrow()
            .stored()
            .delivery();
    ledger.record(
        organization,
        retrying.id(),
        endpointOf(organization),
        claimed,
        new AttemptResult.Retrying(attemptedAt, "HTTP 503", attemptedAt.plus(LEASE)));
    inbox.acknowledge(organization, delivered.id(), attemptedAt);

    // when
    InboxPage page = inbox.list(organization, query(ALL_STATUSES, 10));

    // then
    assertThat(page.events())
        .containsExactly(
            new InboxEvent(delivered, DeliveryStatus.DELIVERED, 0),
            new InboxEvent(retrying, DeliveryStatus.RETRYING, 1),
            new InboxEvent(waiting, DeliveryStatus.PENDING, 0));
  }

  @Test
  void listsOnlyTheAskedType() throws Exception {
    // given
    OrganizationId organization = organization();
    EventType created = new EventType("order.created");
    EventType paid = new EventType("order.paid");
    Event first = fixtures.event(organization, created);
    clock.advance(STEP);
    Event second = fixtures.event(organization, paid);
    clock.advance(STEP);
    Event third = fixtures.event(organization, created);
    log.append(List.of(first, second, third), PULL);

    // when
    InboxPage page =
        inbox.list(
            organization,
            new InboxQuery(
                DeliveryStatus.UNDELIVERED,
                Optional.of(created),
                10,
                Optional.empty(),
                SortOrder.OLDEST_FIRST));

    // then
    assertThat(ids(page)).containsExactly(first.id(), third.id());
  }

  @Test
  void pagesThroughFilteredEventsWithoutRepeats() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 9);
    List<EventId> delivered = new ArrayList<>();
    for (int i = 0; i < events.size(); i += 2) {
      inbox.acknowledge(organization, events.get(i).id(), clock.instant());
      delivered.add(events.get(i).id());
    }

    // when
    List<EventId> listed = new ArrayList<>();
    Optional<InboxCursor> after = Optional.empty();
    do {
      InboxPage page =
          inbox.list(
              organization,
              new InboxQuery(
                  Set.of(DeliveryStatus.DELIVERED),
                  Optional.empty(),
                  2,
                  after,
                  SortOrder.OLDEST_FIRST));
      listed.addAll(ids(page));
      after =
          page.next()
              .map(
                  cursor ->
                      InboxCursor.decode(
                          cursor.encode(SortOrder.OLDEST_FIRST), SortOrder.OLDEST_FIRST));
    } while (after.isPresent());

    // then
    assertThat(listed).containsExactlyElementsOf(delivered);
  }

  @Test
  void acknowledgingMarksTheEventDelivered() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    append(event);
    Instant at = clock.advance(Duration.ofSeconds(5));

    // when
    Optional<Delivery> delivery = inbox.acknowledge(organization, event.id(), at);

    // then
    assertThat(delivery).contains(Delivery.pending().acknowledged(at));
    assertThat(log.find(organization, event.id()).map(StoredEvent::delivery))
        .contains(Delivery.pending().acknowledged(at));
  }

  @Test
  void acknowledgingAgainKeepsTheFirstDeliveryTime() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    append(event);
    Instant first = clock.advance(Duration.ofSeconds(1));
    inbox.acknowledge(organization, event.id(), first);
    Instant later = clock.advance(Duration.ofSeconds(30));

    // when
    Optional<Delivery> delivery = inbox.acknowledge(organization, event.id(), later);

    // then
    assertThat(delivery.flatMap(Delivery::deliveredAt)).contains(first);
    assertThat(delivery.map(Delivery::status)).contains(DeliveryStatus.DELIVERED);
  }

  @Test
  void acknowledgingAnUnknownEventFindsNothing() throws Exception {
    // when / then
    assertThat(inbox.acknowledge(organization(), fixtures.eventId(), clock.instant())).isEmpty();
  }

  @Test
  void acknowledgesEveryListedEventThatExists() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);
    Instant earlier = clock.advance(Duration.ofSeconds(1));
    inbox.acknowledge(organization, events.get(0).id(), earlier);
    EventId unknown = fixtures.eventId();
    Instant now = clock.advance(Duration.ofSeconds(1));

    // when
    Set<EventId> acknowledged =
        inbox.acknowledgeAll(
            organization, List.of(events.get(0).id(), events.get(1).id(), unknown), now);

    // then
    assertThat(acknowledged).containsExactlyInAnyOrder(events.get(0).id(), events.get(1).id());
    assertThat(deliveredAt(organization, events.get(0).id())).contains(earlier);
    assertThat(deliveredAt(organization, events.get(1).id())).contains(now);
    assertThat(log.find(organization, events.get(2).id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.PENDING);
  }
}

package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.EventStore;
import io.triggers.core.port.out.EventStore.AppendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link EventStore} must do; extend it with a factory for the implementation. */
public abstract class EventStoreContract {

  private static final Set<DeliveryStatus> ALL_STATUSES = EnumSet.allOf(DeliveryStatus.class);
  private static final Duration STEP = Duration.ofMillis(1);

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private EventStore store;

  /** The implementation under test, fresh for each test; called after {@link #clearState()}. */
  protected abstract EventStore newStore() throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  /**
   * Makes an organization known before the test stores its events, for stores that refer to
   * organizations (a foreign key, say); nothing by default.
   */
  protected void register(Organization organization) throws Exception {}

  @BeforeEach
  final void createStore() throws Exception {
    clearState();
    store = newStore();
  }

  // ---- append and find

  @Test
  void storesAnEventWithAPendingDelivery() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization, "dedup-1");

    // when
    AppendResult result = store.append(event);

    // then
    assertThat(result).isEqualTo(new AppendResult.Stored(event));
    assertThat(store.find(organization, event.id()))
        .contains(new StoredEvent(event, Delivery.pending()));
  }

  @Test
  void findsNothingForAnUnknownId() throws Exception {
    // given
    OrganizationId organization = organization();
    store.append(fixtures.event(organization));

    // when / then
    assertThat(store.find(organization, fixtures.eventId())).isEmpty();
  }

  @Test
  void refusesASecondEventWithTheSameDedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "order-42");
    Event second = fixtures.event(organization, "order-42");
    store.append(first);

    // when
    AppendResult result = store.append(second);

    // then
    assertThat(result).isEqualTo(new AppendResult.Duplicate(first.id()));
    assertThat(store.find(organization, second.id())).isEmpty();
  }

  @Test
  void storesEveryEventWithoutADedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization);
    Event second = fixtures.event(organization);

    // when
    List<AppendResult> results = List.of(store.append(first), store.append(second));

    // then
    assertThat(results)
        .containsExactly(new AppendResult.Stored(first), new AppendResult.Stored(second));
  }

  @Test
  void letsEachOrganizationUseTheSameDedupId() throws Exception {
    // given
    Event first = fixtures.event(organization(), "shared");
    Event second = fixtures.event(organization(), "shared");

    // when
    List<AppendResult> results = List.of(store.append(first), store.append(second));

    // then
    assertThat(results)
        .containsExactly(new AppendResult.Stored(first), new AppendResult.Stored(second));
  }

  @Test
  void storesExactlyOneOfManyConcurrentEventsWithTheSameDedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    int threads = 50;
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      events.add(fixtures.event(organization, "race"));
    }

    // when
    List<AppendResult> results = Concurrently.run(threads, i -> store.append(events.get(i)));

    // then
    List<Event> stored =
        results.stream()
            .filter(AppendResult.Stored.class::isInstance)
            .map(r -> ((AppendResult.Stored) r).event())
            .toList();
    assertThat(stored).hasSize(1);
    EventId winner = stored.getFirst().id();
    assertThat(results)
        .filteredOn(AppendResult.Duplicate.class::isInstance)
        .hasSize(threads - 1)
        .allSatisfy(r -> assertThat(r).isEqualTo(new AppendResult.Duplicate(winner)));
    assertThat(store.find(organization, winner)).isPresent();
    assertThat(store.list(organization, query(ALL_STATUSES, 100)).events()).hasSize(1);
  }

  @Test
  void appendsAListWithOneResultPerEventInOrder() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "a");
    Event second = fixtures.event(organization);
    Event third = fixtures.event(organization, "c");

    // when
    List<AppendResult> results = store.appendAll(List.of(first, second, third));

    // then
    assertThat(results)
        .containsExactly(
            new AppendResult.Stored(first),
            new AppendResult.Stored(second),
            new AppendResult.Stored(third));
    assertThat(store.find(organization, third.id())).isPresent();
  }

  @Test
  void storesTheFirstOfTwoListedEventsWithTheSameDedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "twice");
    Event second = fixtures.event(organization, "twice");

    // when
    List<AppendResult> results = store.appendAll(List.of(first, second));

    // then
    assertThat(results)
        .containsExactly(new AppendResult.Stored(first), new AppendResult.Duplicate(first.id()));
    assertThat(store.find(organization, second.id())).isEmpty();
  }

  @Test
  void refusesAListedEventWhoseDedupIdIsAlreadyStored() throws Exception {
    // given
    OrganizationId organization = organization();
    Event earlier = fixtures.event(organization, "taken");
    store.append(earlier);
    Event fresh = fixtures.event(organization);
    Event duplicate = fixtures.event(organization, "taken");

    // when
    List<AppendResult> results = store.appendAll(List.of(fresh, duplicate));

    // then
    assertThat(results)
        .containsExactly(new AppendResult.Stored(fresh), new AppendResult.Duplicate(earlier.id()));
  }

  // ---- delete

  @Test
  void deletesAnEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.append(event);

    // when
    boolean deleted = store.delete(organization, event.id());

    // then
    assertThat(deleted).isTrue();
    assertThat(store.find(organization, event.id())).isEmpty();
    assertThat(store.list(organization, query(ALL_STATUSES, 10)).events()).isEmpty();
    assertThat(store.delete(organization, event.id())).isFalse();
  }

  @Test
  void freesTheDedupIdOfADeletedEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event deleted = fixtures.event(organization, "reusable");
    store.append(deleted);
    store.delete(organization, deleted.id());
    Event again = fixtures.event(organization, "reusable");

    // when
    AppendResult result = store.append(again);

    // then
    assertThat(result).isEqualTo(new AppendResult.Stored(again));
  }

  // ---- tenant isolation

  @Test
  void treatsAnotherOrganizationsEventAsAbsent() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    Event event = fixtures.event(owner);
    store.append(event);
    Instant now = clock.instant();

    // when / then
    assertThat(store.find(stranger, event.id())).isEmpty();
    assertThat(store.delete(stranger, event.id())).isFalse();
    assertThat(store.acknowledge(stranger, event.id(), now)).isEmpty();
    assertThat(store.acknowledgeAll(stranger, List.of(event.id()), now)).isEmpty();
    assertThat(store.scheduleRedelivery(stranger, event.id(), now)).isEmpty();
    assertThat(store.list(stranger, query(ALL_STATUSES, 10)).events()).isEmpty();
    assertThat(store.find(owner, event.id())).contains(new StoredEvent(event, Delivery.pending()));
  }

  @Test
  void listsOnlyTheOrganizationsOwnEvents() throws Exception {
    // given
    OrganizationId first = organization();
    OrganizationId second = organization();
    Event mine = fixtures.event(first);
    store.append(mine);
    store.append(fixtures.event(second));

    // when
    InboxPage page = store.list(first, query(ALL_STATUSES, 10));

    // then
    assertThat(ids(page)).containsExactly(mine.id());
  }

  // ---- listing order and paging

  @Test
  void listsUndeliveredEventsNewestFirstByDefault() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);

    // when
    InboxPage page = store.list(organization, InboxQuery.undelivered());

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
    InboxPage page = store.list(organization, query(ALL_STATUSES, 10, SortOrder.OLDEST_FIRST));

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
      store.append(event);
    }

    // when
    InboxPage oldestFirst =
        store.list(organization, query(ALL_STATUSES, 10, SortOrder.OLDEST_FIRST));
    InboxPage newestFirst =
        store.list(organization, query(ALL_STATUSES, 10, SortOrder.NEWEST_FIRST));

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
    InboxPage page = store.list(organization, query(ALL_STATUSES, 2, SortOrder.OLDEST_FIRST));

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
    InboxPage page = store.list(organization, query(ALL_STATUSES, 3, SortOrder.NEWEST_FIRST));

    // then
    assertThat(page.events()).hasSize(3);
    assertThat(page.next()).isEmpty();
  }

  @Test
  void listsNothingForAnOrganizationWithoutEvents() throws Exception {
    // when
    InboxPage page = store.list(organization(), InboxQuery.undelivered());

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
    List<StoredEvent> everything =
        store.list(organization, query(ALL_STATUSES, 1000, SortOrder.OLDEST_FIRST)).events();
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

  // ---- filters

  @Test
  void listsOnlyTheAskedStatuses() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);
    store.acknowledge(organization, events.get(1).id(), clock.instant());

    // when
    InboxPage undelivered = store.list(organization, InboxQuery.undelivered());
    InboxPage delivered =
        store.list(
            organization, query(Set.of(DeliveryStatus.DELIVERED), 10, SortOrder.NEWEST_FIRST));
    InboxPage all = store.list(organization, query(ALL_STATUSES, 10));

    // then
    assertThat(ids(undelivered)).containsExactly(events.get(2).id(), events.get(0).id());
    assertThat(ids(delivered)).containsExactly(events.get(1).id());
    assertThat(ids(all)).containsExactlyElementsOf(ids(events).reversed());
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
    store.appendAll(List.of(first, second, third));

    // when
    InboxPage page =
        store.list(
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
      store.acknowledge(organization, events.get(i).id(), clock.instant());
      delivered.add(events.get(i).id());
    }

    // when
    List<EventId> listed = new ArrayList<>();
    Optional<InboxCursor> after = Optional.empty();
    do {
      InboxPage page =
          store.list(
              organization,
              new InboxQuery(
                  Set.of(DeliveryStatus.DELIVERED),
                  Optional.empty(),
                  2,
                  after,
                  SortOrder.OLDEST_FIRST));
      listed.addAll(ids(page));
      after = page.next().map(cursor -> InboxCursor.decode(cursor.encode()));
    } while (after.isPresent());

    // then
    assertThat(listed).containsExactlyElementsOf(delivered);
  }

  // ---- acknowledge

  @Test
  void acknowledgingMarksTheEventDelivered() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.append(event);
    Instant at = clock.advance(Duration.ofSeconds(5));

    // when
    Optional<Delivery> delivery = store.acknowledge(organization, event.id(), at);

    // then
    assertThat(delivery).contains(Delivery.pending().acknowledged(at));
    assertThat(store.find(organization, event.id()).map(StoredEvent::delivery))
        .contains(Delivery.pending().acknowledged(at));
  }

  @Test
  void acknowledgingAgainKeepsTheFirstDeliveryTime() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.append(event);
    Instant first = clock.advance(Duration.ofSeconds(1));
    store.acknowledge(organization, event.id(), first);
    Instant later = clock.advance(Duration.ofSeconds(30));

    // when
    Optional<Delivery> delivery = store.acknowledge(organization, event.id(), later);

    // then
    assertThat(delivery.flatMap(Delivery::deliveredAt)).contains(first);
    assertThat(delivery.map(Delivery::status)).contains(DeliveryStatus.DELIVERED);
  }

  @Test
  void acknowledgingAnUnknownEventFindsNothing() throws Exception {
    // when / then
    assertThat(store.acknowledge(organization(), fixtures.eventId(), clock.instant())).isEmpty();
  }

  @Test
  void acknowledgesEveryListedEventThatExists() throws Exception {
    // given
    OrganizationId organization = organization();
    List<Event> events = appendSpacedEvents(organization, 3);
    Instant earlier = clock.advance(Duration.ofSeconds(1));
    store.acknowledge(organization, events.get(0).id(), earlier);
    EventId unknown = fixtures.eventId();
    Instant now = clock.advance(Duration.ofSeconds(1));

    // when
    Set<EventId> acknowledged =
        store.acknowledgeAll(
            organization, List.of(events.get(0).id(), events.get(1).id(), unknown), now);

    // then
    assertThat(acknowledged).containsExactlyInAnyOrder(events.get(0).id(), events.get(1).id());
    assertThat(deliveredAt(organization, events.get(0).id())).contains(earlier);
    assertThat(deliveredAt(organization, events.get(1).id())).contains(now);
    assertThat(store.find(organization, events.get(2).id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.PENDING);
  }

  // ---- redelivery

  @Test
  void schedulingRedeliveryMakesADeliveredEventPendingAgain() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.append(event);
    Delivery delivered = store.acknowledge(organization, event.id(), clock.instant()).orElseThrow();
    Instant due = clock.advance(Duration.ofMinutes(1));

    // when
    Optional<Delivery> delivery = store.scheduleRedelivery(organization, event.id(), due);

    // then
    assertThat(delivery).contains(delivered.redeliverAt(due));
    assertThat(delivery.map(Delivery::status)).contains(DeliveryStatus.PENDING);
    assertThat(delivery.flatMap(Delivery::nextAttemptAt)).contains(due);
    assertThat(delivery.flatMap(Delivery::deliveredAt)).isEmpty();
    assertThat(ids(store.list(organization, InboxQuery.undelivered()))).containsExactly(event.id());
  }

  @Test
  void schedulingRedeliveryOfAnUnknownEventFindsNothing() throws Exception {
    // when / then
    assertThat(store.scheduleRedelivery(organization(), fixtures.eventId(), clock.instant()))
        .isEmpty();
  }

  // ---- retention

  @Test
  void deletesEventsCreatedBeforeTheCutoffInBoundedBatches() throws Exception {
    // given three old events in each of two organizations, then a recent one
    OrganizationId first = organization();
    OrganizationId second = organization();
    List<Event> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.advance(STEP);
      old.add(fixtures.event(first, "old-" + i));
      old.add(fixtures.event(second));
    }
    old.forEach(store::append);
    Instant cutoff = clock.advance(Duration.ofHours(1));
    Event recent = fixtures.event(first);
    store.append(recent);

    // when
    List<Integer> deleted =
        List.of(
            store.deleteCreatedBefore(cutoff, 4),
            store.deleteCreatedBefore(cutoff, 4),
            store.deleteCreatedBefore(cutoff, 4));

    // then
    assertThat(deleted).containsExactly(4, 2, 0);
    for (Event event : old) {
      assertThat(store.find(event.organizationId(), event.id())).isEmpty();
    }
    assertThat(store.find(first, recent.id())).isPresent();
    assertThat(store.append(fixtures.event(first, "old-0")))
        .as("the dedup id of a deleted event is free again")
        .isInstanceOf(AppendResult.Stored.class);
  }

  // ---- helpers

  /** A new organization, registered with the store's backing where it needs that. */
  protected final OrganizationId organization() throws Exception {
    Organization organization = fixtures.organization();
    register(organization);
    return organization.id();
  }

  private List<Event> appendSpacedEvents(OrganizationId organization, int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clock.advance(STEP);
      Event event = fixtures.event(organization);
      store.append(event);
      events.add(event);
    }
    return events;
  }

  private List<Event> appendSameMillisecondEvents(OrganizationId organization, int count) {
    clock.advance(STEP);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Event event = fixtures.event(organization);
      store.append(event);
      events.add(event);
    }
    return events;
  }

  /**
   * Reads every page, passing each cursor through its text form as a client would, and appends
   * {@code arrivingPerPage} new events after each of the first pages.
   */
  private List<EventId> pageThrough(
      OrganizationId organization, SortOrder order, int limit, int arrivingPerPage) {
    List<EventId> listed = new ArrayList<>();
    Optional<InboxCursor> after = Optional.empty();
    int pages = 0;
    do {
      InboxPage page =
          store.list(
              organization, new InboxQuery(ALL_STATUSES, Optional.empty(), limit, after, order));
      listed.addAll(ids(page));
      after = page.next().map(cursor -> InboxCursor.decode(cursor.encode()));
      if (++pages <= 3) {
        appendSpacedEvents(organization, arrivingPerPage);
      }
    } while (after.isPresent());
    assertThat(listed).doesNotHaveDuplicates();
    return listed;
  }

  private Optional<Instant> deliveredAt(OrganizationId organization, EventId id) {
    return store.find(organization, id).flatMap(s -> s.delivery().deliveredAt());
  }

  private static InboxQuery query(Set<DeliveryStatus> statuses, int limit) {
    return query(statuses, limit, SortOrder.NEWEST_FIRST);
  }

  private static InboxQuery query(Set<DeliveryStatus> statuses, int limit, SortOrder order) {
    return new InboxQuery(statuses, Optional.empty(), limit, Optional.empty(), order);
  }

  private static List<EventId> ids(InboxPage page) {
    return page.events().stream().map(stored -> stored.event().id()).toList();
  }

  private static List<EventId> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }
}

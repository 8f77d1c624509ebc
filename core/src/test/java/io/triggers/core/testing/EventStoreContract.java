package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventStore;
import io.triggers.core.port.out.EventStore.AppendResult;
import io.triggers.core.port.out.EventStore.AttemptResult;
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
  private static final Duration LEASE = Duration.ofSeconds(30);

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
  void keepsEveryCharacterOfTypePayloadAndDedupId() throws Exception {
    // given: what a text encoding would have to quote or escape, and what only UTF-8 can carry
    OrganizationId organization = organization();
    EventId id = fixtures.ids().newEventId();
    Event event =
        new Event(
            id,
            organization,
            new EventType("order.paid \"eu\", {1} ✓"),
            new Payload("{ \"q\" : \"a \\\"b\\\" \\\\ c\", \"u\": \"ünï 😀\",\n \"n\": null }"),
            Optional.of(new DedupId("{\"a\",b} \\ NULL")),
            id.timestamp());

    Event namedNull = fixtures.event(organization, "NULL");

    // when
    store.appendAll(List.of(event, namedNull));

    // then
    assertThat(store.find(organization, id)).map(StoredEvent::event).contains(event);
    assertThat(store.find(organization, namedNull.id()))
        .map(StoredEvent::event)
        .contains(namedNull);
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
  void neitherClaimsNorRecordsAnotherOrganizationsDelivery() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    Event event = fixtures.event(owner);
    store.appendForDelivery(List.of(event));
    Instant now = clock.instant();
    Instant lease = now.plus(LEASE);
    store.claimDelivery(owner, event.id(), now, lease);

    // when / then
    assertThat(store.claimDelivery(stranger, event.id(), lease, lease.plus(LEASE))).isEmpty();
    assertThat(store.recordAttempt(stranger, event.id(), lease, delivered(now))).isEmpty();
    assertThat(store.find(owner, event.id()).map(s -> s.delivery().status()))
        .contains(DeliveryStatus.PENDING);
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
    List<InboxEvent> everything =
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
  void listsEachEventWithItsOwnDeliveryStatusAndAttempts() throws Exception {
    // given: one event waiting, one retrying after a failed attempt, one delivered
    OrganizationId organization = organization();
    Event waiting = fixtures.event(organization);
    clock.advance(STEP);
    Event retrying = fixtures.event(organization);
    clock.advance(STEP);
    Event delivered = fixtures.event(organization);
    store.appendForDelivery(List.of(waiting, retrying, delivered));
    Instant attemptedAt = clock.advance(STEP);
    Instant lease = attemptedAt.plus(LEASE);
    store.claimDelivery(organization, retrying.id(), attemptedAt, lease);
    store.recordAttempt(
        organization,
        retrying.id(),
        lease,
        new AttemptResult.Retrying(attemptedAt, "HTTP 503", attemptedAt.plus(LEASE)));
    store.acknowledge(organization, delivered.id(), attemptedAt);

    // when
    InboxPage page = store.list(organization, query(ALL_STATUSES, 10));

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
  void redeliveryOfAFailedEventCountsItsAttemptsFromZeroAndKeepsTheLastError() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.appendForDelivery(List.of(event));
    Instant attemptedAt = clock.instant();
    Instant lease = attemptedAt.plus(LEASE);
    store.claimDelivery(organization, event.id(), attemptedAt, lease);
    store.recordAttempt(
        organization, event.id(), lease, new AttemptResult.Failed(attemptedAt, "HTTP 500"));
    Instant due = clock.advance(Duration.ofMinutes(1));

    // when
    Optional<Delivery> delivery = store.scheduleRedelivery(organization, event.id(), due);

    // then
    assertThat(delivery)
        .contains(
            new Delivery(
                DeliveryStatus.PENDING,
                0,
                Optional.of(attemptedAt),
                Optional.of(due),
                Optional.of("HTTP 500"),
                Optional.empty()));
    assertThat(store.claimDelivery(organization, event.id(), due, due.plus(LEASE))).isPresent();
  }

  @Test
  void schedulingRedeliveryOfAnUnknownEventFindsNothing() throws Exception {
    // when / then
    assertThat(store.scheduleRedelivery(organization(), fixtures.eventId(), clock.instant()))
        .isEmpty();
  }

  // ---- webhook delivery

  @Test
  void storesAnEventForDeliveryWithItsFirstAttemptDueAtItsCreation() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "first");
    Event second = fixtures.event(organization, "first");
    Event third = fixtures.event(organization);

    // when
    List<AppendResult> results = store.appendForDelivery(List.of(first, second, third));

    // then
    assertThat(results)
        .containsExactly(
            new AppendResult.Stored(first),
            new AppendResult.Duplicate(first.id()),
            new AppendResult.Stored(third));
    assertThat(store.find(organization, first.id()))
        .contains(new StoredEvent(first, Delivery.scheduled(first.createdAt())));
    assertThat(store.find(organization, third.id()).map(StoredEvent::delivery))
        .contains(Delivery.scheduled(third.createdAt()));
  }

  @Test
  void claimsADueDeliveryAndHoldsItUntilTheLeaseRunsOut() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.appendForDelivery(List.of(event));
    Instant now = clock.advance(STEP);
    Instant lease = now.plus(LEASE);

    // when
    Optional<StoredEvent> claimed = store.claimDelivery(organization, event.id(), now, lease);
    Optional<StoredEvent> again =
        store.claimDelivery(organization, event.id(), lease.minus(STEP), lease.plus(LEASE));
    Optional<StoredEvent> afterTheLease =
        store.claimDelivery(organization, event.id(), lease, lease.plus(LEASE));

    // then
    Delivery leased =
        new Delivery(
            DeliveryStatus.PENDING,
            0,
            Optional.empty(),
            Optional.of(lease),
            Optional.empty(),
            Optional.empty());
    assertThat(claimed).contains(new StoredEvent(event, leased));
    assertThat(again).isEmpty();
    assertThat(afterTheLease.flatMap(s -> s.delivery().nextAttemptAt()))
        .contains(lease.plus(LEASE));
  }

  @Test
  void claimsNoDeliveryThatIsNotDueOrNotScheduled() throws Exception {
    // given
    OrganizationId organization = organization();
    Event inboxOnly = fixtures.event(organization);
    store.append(inboxOnly);
    Event acknowledged = fixtures.event(organization);
    Event later = fixtures.event(organization);
    store.appendForDelivery(List.of(acknowledged, later));
    store.acknowledge(organization, acknowledged.id(), clock.instant());
    Instant now = clock.instant();
    Instant lease = now.plus(LEASE);
    store.scheduleRedelivery(organization, later.id(), now.plusSeconds(30));

    // when / then
    assertThat(store.claimDelivery(organization, inboxOnly.id(), now, lease)).isEmpty();
    assertThat(store.claimDelivery(organization, acknowledged.id(), now, lease)).isEmpty();
    assertThat(store.claimDelivery(organization, later.id(), now, lease)).isEmpty();
    assertThat(store.claimDelivery(organization, fixtures.eventId(), now, lease)).isEmpty();
  }

  @Test
  void grantsExactlyOneOfManyConcurrentClaims() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.appendForDelivery(List.of(event));
    Instant now = clock.instant();
    int threads = 20;

    // when
    List<Optional<StoredEvent>> claims =
        Concurrently.run(
            threads,
            i -> store.claimDelivery(organization, event.id(), now, now.plus(LEASE).plusMillis(i)));

    // then
    assertThat(claims).filteredOn(Optional::isPresent).hasSize(1);
  }

  @Test
  void recordsADeliveredAttempt() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Instant lease = appendAndClaim(organization, event);
    Instant attemptedAt = clock.instant();
    Instant deliveredAt = clock.advance(Duration.ofMillis(40));

    // when
    Optional<Delivery> delivery =
        store.recordAttempt(
            organization, event.id(), lease, new AttemptResult.Delivered(attemptedAt, deliveredAt));

    // then
    Delivery expected =
        new Delivery(
            DeliveryStatus.DELIVERED,
            1,
            Optional.of(attemptedAt),
            Optional.empty(),
            Optional.empty(),
            Optional.of(deliveredAt));
    assertThat(delivery).contains(expected);
    assertThat(store.find(organization, event.id()).map(StoredEvent::delivery)).contains(expected);
    assertThat(ids(store.list(organization, InboxQuery.undelivered()))).isEmpty();
  }

  @Test
  void recordsARetryWithItsErrorAndNextAttemptThenAFailure() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Instant lease = appendAndClaim(organization, event);
    Instant firstAttempt = clock.instant();
    Instant retryAt = firstAttempt.plusSeconds(5);

    // when
    Optional<Delivery> retrying =
        store.recordAttempt(
            organization,
            event.id(),
            lease,
            new AttemptResult.Retrying(firstAttempt, "HTTP 503", retryAt));
    clock.set(retryAt);
    Instant secondLease = retryAt.plus(LEASE);
    store.claimDelivery(organization, event.id(), retryAt, secondLease);
    Optional<Delivery> failed =
        store.recordAttempt(
            organization,
            event.id(),
            secondLease,
            new AttemptResult.Failed(retryAt, "timed out after 10 s"));

    // then
    assertThat(retrying)
        .contains(
            new Delivery(
                DeliveryStatus.RETRYING,
                1,
                Optional.of(firstAttempt),
                Optional.of(retryAt),
                Optional.of("HTTP 503"),
                Optional.empty()));
    assertThat(failed)
        .contains(
            new Delivery(
                DeliveryStatus.FAILED,
                2,
                Optional.of(retryAt),
                Optional.empty(),
                Optional.of("timed out after 10 s"),
                Optional.empty()));
    assertThat(ids(store.list(organization, InboxQuery.undelivered()))).containsExactly(event.id());
  }

  @Test
  void recordsAnAbandonedDeliveryAsFailedWithoutCountingAnAttempt() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Instant lease = appendAndClaim(organization, event);

    // when
    Optional<Delivery> delivery =
        store.recordAttempt(
            organization, event.id(), lease, new AttemptResult.Abandoned("no webhook"));

    // then
    assertThat(delivery)
        .contains(
            new Delivery(
                DeliveryStatus.FAILED,
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.of("no webhook"),
                Optional.empty()));
  }

  @Test
  void ignoresTheResultOfAnAttemptWhoseEventWasAcknowledgedMeanwhile() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Instant lease = appendAndClaim(organization, event);
    Instant acknowledgedAt = clock.advance(STEP);
    Delivery acknowledged =
        store.acknowledge(organization, event.id(), acknowledgedAt).orElseThrow();

    // when
    Optional<Delivery> recorded =
        store.recordAttempt(
            organization,
            event.id(),
            lease,
            new AttemptResult.Retrying(clock.instant(), "HTTP 500", lease));

    // then
    assertThat(recorded).isEmpty();
    assertThat(store.find(organization, event.id()).map(StoredEvent::delivery))
        .contains(acknowledged);
  }

  @Test
  void ignoresTheResultOfAnAttemptOvertakenByARedelivery() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Instant lease = appendAndClaim(organization, event);
    Delivery redelivered =
        store.scheduleRedelivery(organization, event.id(), clock.advance(STEP)).orElseThrow();

    // when
    Optional<Delivery> recorded =
        store.recordAttempt(organization, event.id(), lease, delivered(clock.instant()));

    // then
    assertThat(recorded).isEmpty();
    assertThat(store.find(organization, event.id()).map(StoredEvent::delivery))
        .contains(redelivered);
  }

  @Test
  void listsScheduledDeliveriesThatAreDueInOrderOfDueTime() throws Exception {
    // given
    OrganizationId first = organization();
    OrganizationId second = organization();
    Event early = fixtures.event(first);
    clock.advance(STEP);
    Event middle = fixtures.event(second);
    clock.advance(STEP);
    Event late = fixtures.event(first);
    store.appendForDelivery(List.of(early, late));
    store.appendForDelivery(List.of(middle));
    Event inboxOnly = fixtures.event(second);
    store.append(inboxOnly);
    Event acknowledged = fixtures.event(second);
    store.appendForDelivery(List.of(acknowledged));
    store.acknowledge(second, acknowledged.id(), clock.instant());
    Event leased = fixtures.event(first);
    store.appendForDelivery(List.of(leased));
    Instant now = clock.advance(STEP);
    store.claimDelivery(first, leased.id(), now, now.plus(LEASE));
    Event notYetDue = fixtures.event(second);
    store.appendForDelivery(List.of(notYetDue));
    store.scheduleRedelivery(second, notYetDue.id(), now.plusSeconds(5));

    // when
    List<DeliveryTask> due = store.dueDeliveries(now, Optional.empty(), 10);

    // then
    assertThat(due)
        .containsExactly(
            new DeliveryTask(first, early.id(), early.createdAt()),
            new DeliveryTask(second, middle.id(), middle.createdAt()),
            new DeliveryTask(first, late.id(), late.createdAt()));
    assertThat(store.dueDeliveries(now.plusSeconds(5), Optional.empty(), 10))
        .extracting(DeliveryTask::eventId)
        .containsExactly(early.id(), middle.id(), late.id(), notYetDue.id());
  }

  @Test
  void pagesThroughDueDeliveriesOfTheSameTimeOnce() throws Exception {
    // given
    List<EventId> scheduled = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      OrganizationId organization = organization();
      List<Event> events =
          List.of(
              fixtures.event(organization),
              fixtures.event(organization),
              fixtures.event(organization));
      store.appendForDelivery(events);
      scheduled.addAll(ids(events));
    }
    Instant now = clock.instant();

    // when
    List<DeliveryTask> listed = new ArrayList<>();
    Optional<DeliveryTask> after = Optional.empty();
    List<DeliveryTask> page;
    do {
      page = store.dueDeliveries(now, after, 5);
      listed.addAll(page);
      after = page.isEmpty() ? after : Optional.of(page.getLast());
    } while (page.size() == 5);

    // then
    assertThat(listed)
        .extracting(DeliveryTask::eventId)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(scheduled);
    assertThat(listed).allSatisfy(task -> assertThat(task.dueAt()).isEqualTo(now));
  }

  @Test
  void forgetsTheDueDeliveryOfADeletedEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    store.appendForDelivery(List.of(event));

    // when
    store.delete(organization, event.id());

    // then
    assertThat(store.dueDeliveries(clock.instant(), Optional.empty(), 10)).isEmpty();
    assertThat(store.claimDelivery(organization, event.id(), clock.instant(), clock.instant()))
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

  private Instant appendAndClaim(OrganizationId organization, Event event) {
    store.appendForDelivery(List.of(event));
    Instant now = clock.advance(STEP);
    Instant lease = now.plus(LEASE);
    assertThat(store.claimDelivery(organization, event.id(), now, lease)).isPresent();
    return lease;
  }

  private static AttemptResult delivered(Instant at) {
    return new AttemptResult.Delivered(at, at);
  }

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
      after = page.next().map(cursor -> InboxCursor.decode(cursor.encode(order), order));
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

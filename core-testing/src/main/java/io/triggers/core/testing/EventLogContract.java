package io.triggers.core.testing;

import static io.triggers.core.model.DeliveryMethod.PULL;
import static io.triggers.core.model.DeliveryMethod.PUSH;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventLog} must do: appending, dedup ids, finding, deleting and expiring events;
 * extend it with a factory for the implementation.
 */
public abstract class EventLogContract extends EventStorageContract {

  @Test
  void storesAnEventWithAPendingDelivery() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization, "dedup-1");

    // when
    AppendResult result = append(event);

    // then
    assertThat(result).isEqualTo(new AppendResult.Stored(event));
    assertThat(log.find(organization, event.id()))
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
    log.append(List.of(event, namedNull), PULL);

    // then
    assertThat(log.find(organization, id)).map(StoredEvent::event).contains(event);
    assertThat(log.find(organization, namedNull.id())).map(StoredEvent::event).contains(namedNull);
  }

  @Test
  void findsNothingForAnUnknownId() throws Exception {
    // given
    OrganizationId organization = organization();
    append(fixtures.event(organization));

    // when / then
    assertThat(log.find(organization, fixtures.eventId())).isEmpty();
  }

  @Test
  void refusesASecondEventWithTheSameDedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "order-42");
    Event second = fixtures.event(organization, "order-42");
    append(first);

    // when
    AppendResult result = append(second);

    // then
    assertThat(result).isEqualTo(new AppendResult.Duplicate(first.id()));
    assertThat(log.find(organization, second.id())).isEmpty();
  }

  @Test
  void appendsAsynchronouslyAsItDoesWaiting() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "order-7");
    Event second = fixtures.event(organization, "order-7");

    // when
    List<AppendResult> results =
        log.appendAsync(List.of(first, second), PUSH).toCompletableFuture().get(10, SECONDS);

    // then: durable once the stage completes
    assertThat(results)
        .containsExactly(new AppendResult.Stored(first), new AppendResult.Duplicate(first.id()));
    assertThat(log.find(organization, first.id()))
        .contains(new StoredEvent(first, Delivery.pending()));
    assertThat(log.find(organization, second.id())).isEmpty();
  }

  @Test
  void storesEveryEventWithoutADedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization);
    Event second = fixtures.event(organization);

    // when
    List<AppendResult> results = List.of(append(first), append(second));

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
    List<AppendResult> results = List.of(append(first), append(second));

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
    List<AppendResult> results = Concurrently.run(threads, i -> append(events.get(i)));

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
    assertThat(log.find(organization, winner)).isPresent();
    assertThat(inbox.list(organization, query(ALL_STATUSES, 100)).events()).hasSize(1);
  }

  @Test
  void appendsAListWithOneResultPerEventInOrder() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "a");
    Event second = fixtures.event(organization);
    Event third = fixtures.event(organization, "c");

    // when
    List<AppendResult> results = log.append(List.of(first, second, third), PULL);

    // then
    assertThat(results)
        .containsExactly(
            new AppendResult.Stored(first),
            new AppendResult.Stored(second),
            new AppendResult.Stored(third));
    assertThat(log.find(organization, third.id())).isPresent();
  }

  @Test
  void storesTheFirstOfTwoListedEventsWithTheSameDedupId() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "twice");
    Event second = fixtures.event(organization, "twice");

    // when
    List<AppendResult> results = log.append(List.of(first, second), PULL);

    // then
    assertThat(results)
        .containsExactly(new AppendResult.Stored(first), new AppendResult.Duplicate(first.id()));
    assertThat(log.find(organization, second.id())).isEmpty();
  }

  @Test
  void refusesAListedEventWhoseDedupIdIsAlreadyStored() throws Exception {
    // given
    OrganizationId organization = organization();
    Event earlier = fixtures.event(organization, "taken");
    append(earlier);
    Event fresh = fixtures.event(organization);
    Event duplicate = fixtures.event(organization, "taken");

    // when
    List<AppendResult> results = log.append(List.of(fresh, duplicate), PULL);

    // then
    assertThat(results)
        .containsExactly(new AppendResult.Stored(fresh), new AppendResult.Duplicate(earlier.id()));
  }

  @Test
  void deletesAnEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    append(event);

    // when
    boolean deleted = log.delete(organization, event.id());

    // then
    assertThat(deleted).isTrue();
    assertThat(log.find(organization, event.id())).isEmpty();
    assertThat(inbox.list(organization, query(ALL_STATUSES, 10)).events()).isEmpty();
    assertThat(log.delete(organization, event.id())).isFalse();
  }

  @Test
  void freesTheDedupIdOfADeletedEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event deleted = fixtures.event(organization, "reusable");
    append(deleted);
    log.delete(organization, deleted.id());
    Event again = fixtures.event(organization, "reusable");

    // when
    AppendResult result = append(again);

    // then
    assertThat(result).isEqualTo(new AppendResult.Stored(again));
  }

  @Test
  void treatsAnotherOrganizationsEventAsAbsent() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    Event event = fixtures.event(owner);
    append(event);
    Instant now = clock.instant();

    // when / then
    assertThat(log.find(stranger, event.id())).isEmpty();
    assertThat(log.delete(stranger, event.id())).isFalse();
    assertThat(inbox.acknowledge(stranger, event.id(), now)).isEmpty();
    assertThat(inbox.acknowledgeAll(stranger, List.of(event.id()), now)).isEmpty();
    assertThat(redeliver(stranger, event.id(), now)).isEmpty();
    assertThat(inbox.list(stranger, query(ALL_STATUSES, 10)).events()).isEmpty();
    assertThat(log.find(owner, event.id())).contains(new StoredEvent(event, Delivery.pending()));
  }

  @Test
  void fansAnEventOutToTheEndpointsThatTakeItsTypeHoldingThoseNotEnabled() throws Exception {
    // given
    OrganizationId organization = organization();
    EndpointId all = endpointOf(organization);
    EndpointId orders = endpoint(organization, EndpointStatus.ENABLED, "order.*");
    EndpointId created = endpoint(organization, EndpointStatus.ENABLED, "order.created");
    EndpointId bare = endpoint(organization, EndpointStatus.ENABLED, "invoice.*", "order");
    EndpointId paused = endpoint(organization, EndpointStatus.PAUSED, "order.*");
    Event orderCreated = fixtures.event(organization, new EventType("order.created"));
    Event itemAdded = fixtures.event(organization, new EventType("order.item.added"));
    Event order = fixtures.event(organization, new EventType("order"));

    // when
    List<AppendResult> results = log.append(List.of(orderCreated, itemAdded, order), PUSH);

    // then
    assertThat(results)
        .extracting(result -> Set.copyOf(((AppendResult.Stored) result).dueTo()))
        .containsExactly(Set.of(all, orders, created), Set.of(all, orders), Set.of(all, bare));
    assertThat(ledger.deliveries(organization, itemAdded.id()))
        .extracting(EndpointDelivery::endpointId, d -> d.delivery().status())
        .containsExactlyInAnyOrder(
            tuple(all, DeliveryStatus.PENDING),
            tuple(orders, DeliveryStatus.PENDING),
            tuple(paused, DeliveryStatus.HELD));
    assertThat(ledger.deliveries(organization, order.id())).hasSize(2);
    assertThat(log.find(organization, itemAdded.id()).map(StoredEvent::delivery))
        .contains(Delivery.scheduled(itemAdded.createdAt()));
  }

  @Test
  void fansNothingOutForTheInboxOnlyOrWithoutEndpoints() throws Exception {
    // given
    OrganizationId withEndpoint = organization();
    endpointOf(withEndpoint);
    OrganizationId withoutEndpoint = organization();
    Event pulled = fixtures.event(withEndpoint);
    Event unmatched = fixtures.event(withoutEndpoint);

    // when
    log.append(List.of(pulled), PULL);
    List<AppendResult> pushed = log.append(List.of(unmatched), PUSH);

    // then
    assertThat(pushed).containsExactly(new AppendResult.Stored(unmatched));
    assertThat(ledger.deliveries(withEndpoint, pulled.id())).isEmpty();
    assertThat(ledger.deliveries(withoutEndpoint, unmatched.id())).isEmpty();
    assertThat(log.find(withoutEndpoint, unmatched.id()).map(StoredEvent::delivery))
        .contains(Delivery.pending());
  }

  /** A new endpoint of the organization with these filters and status; returns its id. */
  private EndpointId endpoint(
      OrganizationId organization, EndpointStatus status, String... eventTypes) {
    Endpoint endpoint =
        fixtures
            .endpoint()
            .withSettings(
                URI.create("https://receiver.example.com/filtered"),
                Arrays.stream(eventTypes).map(EventTypeFilter::new).toList(),
                Optional.empty(),
                clock.instant())
            .withStatus(status, clock.instant());
    endpoints.create(organization, endpoint);
    return endpoint.id();
  }

  @Test
  void storesAnEventForDeliveryWithItsFirstAttemptDueAtItsCreation() throws Exception {
    // given
    OrganizationId organization = organization();
    Event first = fixtures.event(organization, "first");
    Event second = fixtures.event(organization, "first");
    Event third = fixtures.event(organization);

    // when
    List<AppendResult> results = push(List.of(first, second, third));

    // then
    assertThat(results)
        .containsExactly(
            new AppendResult.Stored(first, List.of(endpointOf(organization))),
            new AppendResult.Duplicate(first.id()),
            new AppendResult.Stored(third, List.of(endpointOf(organization))));
    assertThat(log.find(organization, first.id()))
        .contains(new StoredEvent(first, Delivery.scheduled(first.createdAt())));
    assertThat(log.find(organization, third.id()).map(StoredEvent::delivery))
        .contains(Delivery.scheduled(third.createdAt()));
  }

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
    old.forEach(this::append);
    Instant cutoff = clock.advance(Duration.ofHours(1));
    Event recent = fixtures.event(first);
    append(recent);

    // when
    List<Integer> deleted =
        List.of(
            log.deleteCreatedBefore(cutoff, 4),
            log.deleteCreatedBefore(cutoff, 4),
            log.deleteCreatedBefore(cutoff, 4));

    // then
    assertThat(deleted).containsExactly(4, 2, 0);
    for (Event event : old) {
      assertThat(log.find(event.organizationId(), event.id())).isEmpty();
    }
    assertThat(log.find(first, recent.id())).isPresent();
    assertThat(append(fixtures.event(first, "old-0")))
        .as("the dedup id of a deleted event is free again")
        .isInstanceOf(AppendResult.Stored.class);
  }
}

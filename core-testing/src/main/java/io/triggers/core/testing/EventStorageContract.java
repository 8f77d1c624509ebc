package io.triggers.core.testing;

import static io.triggers.core.model.DeliveryMethod.PULL;
import static io.triggers.core.model.DeliveryMethod.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.Organizations;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

/**
 * The storage shared by the event store's contracts ({@link EventLogContract}, {@link
 * InboxContract}, {@link DeliveryLedgerContract}, {@link InboxLeasesContract}): each test sees one
 * storage through its four ports, so what one port writes the others read.
 */
public abstract class EventStorageContract {

  protected static final Set<DeliveryStatus> ALL_STATUSES = EnumSet.allOf(DeliveryStatus.class);
  protected static final Duration STEP = Duration.ofMillis(1);
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  protected EventLog log;
  protected Inbox inbox;
  protected DeliveryLedger ledger;
  protected InboxLeases leases;
  protected Endpoints endpoints;
  private Organizations organizations;
  private final Map<OrganizationId, EndpointId> endpointIds = new HashMap<>();

  EventStorageContract() {}

  /**
   * The implementation under test, fresh for each test: its three ports over one storage; called
   * after {@link #clearState()}.
   */
  protected abstract EventStorage newStorage() throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  /**
   * Makes an organization known before the test stores its events, for stores that refer to
   * organizations (a foreign key, say); nothing by default.
   */
  protected void register(Organization organization) throws Exception {}

  @BeforeEach
  final void createStorage() throws Exception {
    clearState();
    EventStorage storage = newStorage();
    log = storage.events();
    inbox = storage.inbox();
    ledger = storage.deliveries();
    leases = storage.leases();
    endpoints = storage.endpoints();
    organizations = storage.organizations();
  }

  /**
   * The organization's endpoint for every type, created (with the organization, where the store
   * needs that) on the first call.
   */
  protected final EndpointId endpointOf(OrganizationId organization) {
    return endpointIds.computeIfAbsent(
        organization,
        id -> {
          organizations.create(
              new Organization(id, new OrganizationName("Org"), Tier.FREE, clock.instant()),
              fixtures.ids().newApiKey().hash());
          Endpoint endpoint =
              Endpoint.created(
                  fixtures.ids().newEndpointId(),
                  URI.create("https://receiver.example.com/hooks"),
                  fixtures.ids().newSigningSecret(),
                  List.of(),
                  Optional.empty(),
                  clock.instant());
          endpoints.create(id, endpoint);
          return endpoint.id();
        });
  }

  /** Appends the events for push, each organization having its {@link #endpointOf endpoint}. */
  protected final List<AppendResult> push(List<Event> events) {
    events.forEach(event -> endpointOf(event.organizationId()));
    return log.append(events, PUSH);
  }

  /**
   * Redelivers the event to its organization's {@link #endpointOf endpoint}, due at {@code dueAt};
   * returns the event's delivery state after that, or empty if there is no such event.
   */
  protected final Optional<Delivery> redeliver(
      OrganizationId organization, EventId id, Instant dueAt) {
    return ledger
        .scheduleRedelivery(organization, id, List.of(endpointOf(organization)), dueAt)
        .flatMap(tasks -> log.find(organization, id))
        .map(StoredEvent::delivery);
  }

  /** Appends one event for the inbox only and returns what the log did with it. */
  protected final AppendResult append(Event event) {
    return log.append(List.of(event), PULL).getFirst();
  }

  /** Appends the event for push and claims its first attempt; returns the claimed delivery. */
  protected final Delivery appendAndClaim(OrganizationId organization, Event event) {
    push(List.of(event));
    Instant now = clock.advance(STEP);
    Instant lease = now.plus(LEASE);
    Optional<ClaimedAttempt> claimed =
        ledger.claim(organization, event.id(), endpointOf(organization), now, lease);
    assertThat(claimed).isPresent();
    return claimed.get().stored().delivery();
  }

  /** An event of the organization pushed a step later, fanned out to its endpoints. */
  protected final Event pushedAStepLater(OrganizationId organization) {
    clock.advance(STEP);
    Event event = fixtures.event(organization);
    push(List.of(event));
    return event;
  }

  /** A second endpoint of the organization, for every type, made before its events are pushed. */
  protected final EndpointId secondEndpoint(OrganizationId organization) {
    Endpoint endpoint = fixtures.endpoint();
    endpoints.create(organization, endpoint);
    return endpoint.id();
  }

  /**
   * Claims the delivery, due by now, a step later, and records what {@code result} makes of that
   * time; returns the attempt's time.
   */
  protected final Instant attempt(
      OrganizationId organization,
      Event event,
      EndpointId endpoint,
      Function<Instant, AttemptResult> result) {
    Instant at = clock.advance(STEP);
    Delivery claimed =
        ledger
            .claim(organization, event.id(), endpoint, at, at.plus(LEASE))
            .orElseThrow()
            .stored()
            .delivery();
    assertThat(ledger.record(organization, event.id(), endpoint, claimed, result.apply(at)))
        .isPresent();
    return at;
  }

  protected static AttemptResult delivered(Instant at) {
    return new AttemptResult.Delivered(at, at);
  }

  /** A new organization, registered with the store's backing where it needs that. */
  protected final OrganizationId organization() throws Exception {
    Organization organization = fixtures.organization();
    register(organization);
    return organization.id();
  }

  protected final List<Event> appendSpacedEvents(OrganizationId organization, int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clock.advance(STEP);
      Event event = fixtures.event(organization);
      append(event);
      events.add(event);
    }
    return events;
  }

  protected final List<Event> appendSameMillisecondEvents(OrganizationId organization, int count) {
    clock.advance(STEP);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Event event = fixtures.event(organization);
      append(event);
      events.add(event);
    }
    return events;
  }

  /**
   * Reads every page, passing each cursor through its text form as a client would, and appends
   * {@code arrivingPerPage} new events after each of the first pages.
   */
  protected final List<EventId> pageThrough(
      OrganizationId organization, SortOrder order, int limit, int arrivingPerPage) {
    List<EventId> listed = new ArrayList<>();
    Optional<InboxCursor> after = Optional.empty();
    int pages = 0;
    do {
      InboxPage page =
          inbox.list(
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

  protected final Optional<Instant> deliveredAt(OrganizationId organization, EventId id) {
    return log.find(organization, id).flatMap(s -> s.delivery().deliveredAt());
  }

  protected static InboxQuery query(Set<DeliveryStatus> statuses, int limit) {
    return query(statuses, limit, SortOrder.NEWEST_FIRST);
  }

  protected static InboxQuery query(Set<DeliveryStatus> statuses, int limit, SortOrder order) {
    return new InboxQuery(statuses, Optional.empty(), limit, Optional.empty(), order);
  }

  protected static List<EventId> ids(InboxPage page) {
    return page.events().stream().map(stored -> stored.event().id()).toList();
  }

  protected static List<EventId> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }
}

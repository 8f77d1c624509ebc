package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.memory.LocalAdmission;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.IngestEvent.BatchOutcome;
import io.triggers.core.port.in.IngestEvent.Command;
import io.triggers.core.port.in.IngestEvent.ItemResult;
import io.triggers.core.port.in.IngestEvent.Outcome;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.testing.Concurrently;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestEventServiceTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final InMemoryEventStore storage = new InMemoryEventStore();
  private final FailingEventLog store = new FailingEventLog(storage);
  private final InMemoryDeduplicator deduplicator =
      new InMemoryDeduplicator(clock, Duration.ofDays(7), 10_000);
  private final InMemoryDeliveryQueue queue =
      new InMemoryDeliveryQueue(clock, 1_000, Duration.ofSeconds(30));
  private final IngestEventService service =
      new IngestEventService(
          new LocalAdmission(new LocalRateLimiter(clock), deduplicator),
          deduplicator,
          store,
          queue,
          fixtures.ids());

  @Test
  void storesAnAcceptedEvent() {
    // given
    Organization organization = organization(Tier.FREE);
    Command command = fixtures.command("order-1");

    // when
    Outcome outcome = service.ingest(organization, command);

    // then
    Event event = ((Outcome.Accepted) outcome).event();
    assertThat(event.organizationId()).isEqualTo(organization.id());
    assertThat(event.type()).isEqualTo(command.type());
    assertThat(event.payload()).isEqualTo(command.payload());
    assertThat(event.dedupId()).isEqualTo(command.dedupId());
    assertThat(event.createdAt()).isEqualTo(clock.instant());
    assertThat(((Outcome.Accepted) outcome).rateLimit())
        .isEqualTo(new RateLimit.Allowed(100, 99, Duration.ofMillis(600)));
    assertThat(store.find(organization.id(), event.id()))
        .contains(new StoredEvent(event, Delivery.pending()));
  }

  @Test
  void answersARepeatedDedupIdWithTheFirstEvent() {
    // given
    Organization organization = organization(Tier.FREE);
    EventId first = accepted(service.ingest(organization, fixtures.command("order-1"))).id();

    // when
    Outcome outcome = service.ingest(organization, fixtures.command("order-1"));

    // then
    assertThat(outcome).isInstanceOf(Outcome.Duplicate.class);
    assertThat(((Outcome.Duplicate) outcome).original()).isEqualTo(first);
    assertThat(allEvents(organization.id()).events()).hasSize(1);
  }

  @Test
  void acceptsEventsWithoutDedupIdEveryTime() {
    // given
    Organization organization = organization(Tier.FREE);

    // when
    Outcome first = service.ingest(organization, fixtures.command());
    Outcome second = service.ingest(organization, fixtures.command());

    // then
    assertThat(List.of(first, second)).allMatch(Outcome.Accepted.class::isInstance);
  }

  @Test
  void rateLimitsOverTheAllowanceWithoutStoring() {
    // given
    Organization organization = organization(Tier.FREE);
    for (int i = 0; i < 100; i++) {
      accepted(service.ingest(organization, fixtures.command()));
    }

    // when
    Outcome outcome = service.ingest(organization, fixtures.command("late"));

    // then
    assertThat(outcome)
        .isEqualTo(
            new Outcome.RateLimited(
                new RateLimit.Denied(100, Duration.ofMillis(600), Duration.ofMinutes(1))));
    assertThat(allEvents(organization.id()).events()).hasSize(100);
    clock.advance(Duration.ofMillis(600));
    assertThat(service.ingest(organization, fixtures.command("late")))
        .isInstanceOf(Outcome.Accepted.class);
  }

  @Test
  void acceptsExactlyOneOfManyConcurrentEventsWithTheSameDedupId() throws Exception {
    // given
    Organization organization = organization(Tier.ENTERPRISE);
    int threads = 50;

    // when
    List<Outcome> outcomes =
        Concurrently.run(threads, i -> service.ingest(organization, fixtures.command("race")));

    // then
    List<Event> accepted =
        outcomes.stream()
            .filter(Outcome.Accepted.class::isInstance)
            .map(outcome -> ((Outcome.Accepted) outcome).event())
            .toList();
    assertThat(accepted).hasSize(1);
    assertThat(outcomes)
        .filteredOn(Outcome.Duplicate.class::isInstance)
        .hasSize(threads - 1)
        .allSatisfy(
            outcome ->
                assertThat(((Outcome.Duplicate) outcome).original())
                    .isEqualTo(accepted.getFirst().id()));
    assertThat(allEvents(organization.id()).events()).hasSize(1);
  }

  @Test
  void storesAnEventScheduledForDeliveryAndQueuesItWhenThereIsAWebhook() throws Exception {
    // given
    Organization organization = organization(Tier.FREE);
    EndpointId endpoint = webhookOf(organization.id());

    // when
    Event event = accepted(service.ingest(organization, fixtures.command()));

    // then
    assertThat(store.find(organization.id(), event.id()).map(StoredEvent::delivery))
        .contains(Delivery.scheduled(event.createdAt()));
    assertThat(queue.take(10, Duration.ZERO))
        .containsExactly(
            new DeliveryTask(organization.id(), event.id(), endpoint, event.createdAt()));
  }

  @Test
  void storesABatchScheduledForDeliveryWhenThereIsAWebhook() throws Exception {
    // given
    Organization organization = organization(Tier.FREE);
    EndpointId endpoint = webhookOf(organization.id());

    // when
    BatchOutcome outcome =
        service.ingestBatch(organization, List.of(fixtures.command(), fixtures.command()));

    // then
    List<Event> events =
        ((BatchOutcome.Processed) outcome)
            .results().stream().map(r -> ((ItemResult.Accepted) r).event()).toList();
    assertThat(storage.due(clock.instant(), Optional.empty(), 10))
        .containsExactly(
            new DeliveryTask(
                organization.id(), events.get(0).id(), endpoint, events.get(0).createdAt()),
            new DeliveryTask(
                organization.id(), events.get(1).id(), endpoint, events.get(1).createdAt()));
    assertThat(queue.take(10, Duration.ZERO)).hasSize(2);
  }

  @Test
  void fansAnEventOutToEveryEnabledEndpointThatSubscribesToItsTypeAndQueuesThoseDue()
      throws Exception {
    // given
    Organization organization = organization(Tier.FREE);
    Endpoint all = fixtures.endpoint();
    Endpoint orders =
        fixtures
            .endpoint()
            .withSettings(
                URI.create("https://orders.example.com"),
                List.of(new EventTypeFilter("order.*")),
                Optional.empty(),
                clock.instant());
    Endpoint invoices =
        fixtures
            .endpoint()
            .withSettings(
                URI.create("https://invoices.example.com"),
                List.of(new EventTypeFilter("invoice.paid")),
                Optional.empty(),
                clock.instant());
    Endpoint paused = fixtures.endpoint().withStatus(EndpointStatus.PAUSED, clock.instant());
    for (Endpoint endpoint : List.of(all, orders, invoices, paused)) {
      storage.endpoints().create(organization.id(), endpoint);
    }

    // when
    Event event = accepted(service.ingest(organization, fixtures.command()));

    // then
    assertThat(queue.take(10, Duration.ZERO))
        .extracting(DeliveryTask::endpointId)
        .containsExactlyInAnyOrder(all.id(), orders.id());
    assertThat(storage.deliveries(organization.id(), event.id()))
        .extracting(delivery -> delivery.endpointId(), delivery -> delivery.delivery().status())
        .containsExactlyInAnyOrder(
            tuple(all.id(), DeliveryStatus.PENDING),
            tuple(orders.id(), DeliveryStatus.PENDING),
            tuple(paused.id(), DeliveryStatus.HELD));
  }

  @Test
  void queuesNothingWithoutAWebhookOrForADuplicate() throws Exception {
    // given
    Organization withoutWebhook = organization(Tier.FREE);
    Organization withWebhook = organization(Tier.FREE);
    webhookOf(withWebhook.id());
    service.ingest(withoutWebhook, fixtures.command());
    accepted(service.ingest(withWebhook, fixtures.command("once")));
    queue.take(10, Duration.ZERO);

    // when
    service.ingest(withWebhook, fixtures.command("once"));

    // then
    assertThat(queue.take(10, Duration.ZERO)).isEmpty();
  }

  @Test
  void acceptsADedupIdAgainOnceItsEventIsDeleted() {
    // given
    Organization organization = organization(Tier.FREE);
    Event deleted = accepted(service.ingest(organization, fixtures.command("reused")));
    store.delete(organization.id(), deleted.id());

    // when
    Outcome outcome = service.ingest(organization, fixtures.command("reused"));

    // then
    EventId stored = accepted(outcome).id();
    Outcome again = service.ingest(organization, fixtures.command("reused"));
    assertThat(again).isInstanceOf(Outcome.Duplicate.class);
    assertThat(((Outcome.Duplicate) again).original()).isEqualTo(stored);
  }

  @Test
  void acceptsAnEventWhoseDedupIdWasClaimedByARequestThatNeverStored() {
    // given
    Organization organization = organization(Tier.FREE);
    deduplicator.claim(organization.id(), new DedupId("orphaned"), fixtures.eventId());

    // when
    Outcome outcome = service.ingest(organization, fixtures.command("orphaned"));

    // then
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
  }

  @Test
  void releasesTheDedupIdWhenTheStoreFails() {
    // given
    Organization organization = organization(Tier.FREE);
    store.failNextWrite();

    // when
    assertThatThrownBy(() -> service.ingest(organization, fixtures.command("retried")))
        .isInstanceOf(StorageUnavailableException.class);
    Outcome retry = service.ingest(organization, fixtures.command("retried"));

    // then
    assertThat(retry).isInstanceOf(Outcome.Accepted.class);
    assertThat(deduplicator.claim(organization.id(), new DedupId("retried"), fixtures.eventId()))
        .contains(accepted(retry).id());
  }

  @Test
  void acceptsEachEventOfABatchInOrder() {
    // given
    Organization organization = organization(Tier.FREE);
    List<Command> commands =
        List.of(fixtures.command("a"), fixtures.command(), fixtures.command("c"));

    // when
    BatchOutcome outcome = service.ingestBatch(organization, commands);

    // then
    BatchOutcome.Processed processed = (BatchOutcome.Processed) outcome;
    assertThat(processed.results()).hasSize(3).allMatch(ItemResult.Accepted.class::isInstance);
    for (int i = 0; i < commands.size(); i++) {
      Event event = ((ItemResult.Accepted) processed.results().get(i)).event();
      assertThat(event.payload()).isEqualTo(commands.get(i).payload());
      assertThat(store.find(organization.id(), event.id())).isPresent();
    }
    assertThat(processed.rateLimit().remaining()).isEqualTo(97);
  }

  @Test
  void marksRepeatsWithinABatchAsDuplicatesOfTheFirst() {
    // given
    Organization organization = organization(Tier.FREE);
    List<Command> commands =
        List.of(
            fixtures.command("same"),
            fixtures.command("same"),
            fixtures.command(),
            fixtures.command("other"));

    // when
    BatchOutcome.Processed processed =
        (BatchOutcome.Processed) service.ingestBatch(organization, commands);

    // then
    List<ItemResult> results = processed.results();
    EventId first = ((ItemResult.Accepted) results.get(0)).event().id();
    assertThat(results.get(1)).isEqualTo(new ItemResult.Duplicate(first));
    assertThat(results.get(2)).isInstanceOf(ItemResult.Accepted.class);
    assertThat(results.get(3)).isInstanceOf(ItemResult.Accepted.class);
    assertThat(allEvents(organization.id()).events()).hasSize(3);
  }

  @Test
  void pointsBatchDuplicatesOfAnEarlierEventAtThatEvent() {
    // given
    Organization organization = organization(Tier.FREE);
    EventId earlier = accepted(service.ingest(organization, fixtures.command("known"))).id();

    // when
    BatchOutcome.Processed processed =
        (BatchOutcome.Processed)
            service.ingestBatch(
                organization, List.of(fixtures.command("known"), fixtures.command("known")));

    // then
    assertThat(processed.results())
        .containsExactly(new ItemResult.Duplicate(earlier), new ItemResult.Duplicate(earlier));
  }

  @Test
  void pointsBatchRepeatsAtTheStoredEventWhenTheDeduplicatorForgotIt() {
    // given
    Organization organization = organization(Tier.FREE);
    EventId earlier = accepted(service.ingest(organization, fixtures.command("forgotten"))).id();
    deduplicator.release(organization.id(), new DedupId("forgotten"), earlier);

    // when
    BatchOutcome.Processed processed =
        (BatchOutcome.Processed)
            service.ingestBatch(
                organization,
                List.of(fixtures.command("forgotten"), fixtures.command("forgotten")));

    // then
    assertThat(processed.results())
        .containsExactly(new ItemResult.Duplicate(earlier), new ItemResult.Duplicate(earlier));
  }

  @Test
  void countsEachEventOfABatchAgainstTheAllowance() {
    // given
    Organization organization = organization(Tier.FREE);
    service.ingestBatch(organization, commands(60));

    // when
    BatchOutcome tooMany = service.ingestBatch(organization, commands(41));
    BatchOutcome fits = service.ingestBatch(organization, commands(40));

    // then
    assertThat(tooMany).isInstanceOf(BatchOutcome.RateLimited.class);
    assertThat(((BatchOutcome.RateLimited) tooMany).rateLimit().retryAfter())
        .isEqualTo(Duration.ofMillis(600));
    assertThat(fits).isInstanceOf(BatchOutcome.Processed.class);
    assertThat(((BatchOutcome.Processed) fits).rateLimit().remaining()).isZero();
    assertThat(allEvents(organization.id()).events()).hasSize(100);
  }

  @Test
  void refusesAnEmptyOrOversizedBatch() {
    // given
    Organization organization = organization(Tier.ENTERPRISE);

    // when / then
    assertThatThrownBy(() -> service.ingestBatch(organization, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> service.ingestBatch(organization, commands(101)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void releasesTheBatchsDedupIdsWhenTheStoreFails() {
    // given
    Organization organization = organization(Tier.FREE);
    store.failNextWrite();
    assertThatThrownBy(
            () ->
                service.ingestBatch(
                    organization, List.of(fixtures.command("x"), fixtures.command("y"))))
        .isInstanceOf(StorageUnavailableException.class);

    // when
    BatchOutcome.Processed retry =
        (BatchOutcome.Processed)
            service.ingestBatch(
                organization, List.of(fixtures.command("x"), fixtures.command("y")));

    // then
    assertThat(retry.results()).allMatch(ItemResult.Accepted.class::isInstance);
    EventId x = ((ItemResult.Accepted) retry.results().getFirst()).event().id();
    assertThat(deduplicator.claim(organization.id(), new DedupId("x"), fixtures.eventId()))
        .contains(x);
  }

  private Organization organization(Tier tier) {
    Organization organization = fixtures.organization(tier);
    organizations.create(organization, fixtures.ids().newApiKey().hash());
    return organization;
  }

  private List<Command> commands(int count) {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commands.add(fixtures.command());
    }
    return commands;
  }

  private InboxPage allEvents(OrganizationId organization) {
    return storage.list(
        organization,
        new InboxQuery(
            EnumSet.allOf(DeliveryStatus.class),
            Optional.empty(),
            1_000,
            Optional.empty(),
            SortOrder.NEWEST_FIRST));
  }

  /** Gives the organization a webhook (its default endpoint); returns the endpoint's id. */
  private EndpointId webhookOf(OrganizationId organization) {
    return storage
        .endpoints()
        .saveDefault(
            organization, fixtures.endpoint(URI.create("https://hooks.example.com/triggers")))
        .id();
  }

  private static Event accepted(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    return ((Outcome.Accepted) outcome).event();
  }

  /**
   * An in-memory event log whose next write can be made to fail as an unreachable database would.
   */
  private static final class FailingEventLog implements EventLog {

    private final InMemoryEventStore delegate;
    private volatile boolean failNextWrite;

    FailingEventLog(InMemoryEventStore delegate) {
      this.delegate = delegate;
    }

    void failNextWrite() {
      failNextWrite = true;
    }

    @Override
    public List<AppendResult> append(List<Event> events, DeliveryMethod method) {
      if (failNextWrite) {
        failNextWrite = false;
        throw new StorageUnavailableException(
            "the database is unreachable", new IOException("connection refused"));
      }
      return delegate.append(events, method);
    }

    @Override
    public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
      return delegate.find(organization, id);
    }

    @Override
    public boolean delete(OrganizationId organization, EventId id) {
      return delegate.delete(organization, id);
    }

    @Override
    public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
      return delegate.deleteCreatedBefore(cutoff, maxEvents);
    }
  }
}

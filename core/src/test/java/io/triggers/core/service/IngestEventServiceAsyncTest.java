package io.triggers.core.service;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.LocalAdmission;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.IngestEvent.BatchOutcome;
import io.triggers.core.port.in.IngestEvent.ItemResult;
import io.triggers.core.port.in.IngestEvent.Outcome;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The asynchronous forms of ingest, against an event log whose commits the test completes. */
class IngestEventServiceAsyncTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final HeldEventLog log = new HeldEventLog(new InMemoryEventStore());
  private final InMemoryDeduplicator deduplicator =
      new InMemoryDeduplicator(clock, Duration.ofDays(7), 10_000);
  private final AtomicInteger waitingTasks = new AtomicInteger();
  private final Executor mayWait =
      task -> {
        waitingTasks.incrementAndGet();
        task.run();
      };
  private final IngestEventService service =
      new IngestEventService(
          new LocalAdmission(new LocalRateLimiter(clock), deduplicator),
          deduplicator,
          log,
          new InMemoryDeliveryQueue(clock, 1_000, Duration.ofSeconds(30)),
          fixtures.ids(),
          mayWait);

  @Test
  void answersOnlyOnceTheAppendHasCommitted() throws Exception {
    // given
    Organization organization = fixtures.organization(Tier.FREE);

    // when
    CompletableFuture<Outcome> outcome =
        service.ingestAsync(organization, fixtures.command("order-1")).toCompletableFuture();

    // then
    assertThat(outcome).isNotDone();
    log.commitAll();
    assertThat(outcome.get(10, SECONDS)).isInstanceOf(Outcome.Accepted.class);
    EventId id = ((Outcome.Accepted) outcome.get(10, SECONDS)).event().id();
    assertThat(log.find(organization.id(), id)).isPresent();
    assertThat(waitingTasks).hasValue(0);
  }

  @Test
  void failsWithTheStoresFailureAndDropsTheClaim() throws Exception {
    // given
    Organization organization = fixtures.organization(Tier.FREE);
    CompletableFuture<Outcome> failed =
        service.ingestAsync(organization, fixtures.command("order-1")).toCompletableFuture();

    // when
    log.failAll();

    // then
    assertThatThrownBy(failed::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(StorageUnavailableException.class);
    EventId probe = fixtures.eventId();
    assertThat(deduplicator.claim(organization.id(), new DedupId("order-1"), probe)).isEmpty();
    deduplicator.release(organization.id(), new DedupId("order-1"), probe);
    CompletableFuture<Outcome> retried =
        service.ingestAsync(organization, fixtures.command("order-1")).toCompletableFuture();
    log.commitAll();
    assertThat(retried.get(10, SECONDS)).isInstanceOf(Outcome.Accepted.class);
  }

  @Test
  void looksForTheHolderOfAClaimOnTheExecutorForWhatMayWait() throws Exception {
    // given
    Organization organization = fixtures.organization(Tier.FREE);
    CompletableFuture<Outcome> first =
        service.ingestAsync(organization, fixtures.command("order-1")).toCompletableFuture();
    log.commitAll();
    EventId original = ((Outcome.Accepted) first.get(10, SECONDS)).event().id();

    // when
    Outcome repeated =
        service
            .ingestAsync(organization, fixtures.command("order-1"))
            .toCompletableFuture()
            .get(10, SECONDS);

    // then
    assertThat(repeated).isInstanceOf(Outcome.Duplicate.class);
    assertThat(((Outcome.Duplicate) repeated).original()).isEqualTo(original);
    assertThat(waitingTasks).hasValue(1);
  }

  @Test
  void answersABatchOnceItHasCommitted() throws Exception {
    // given
    Organization organization = fixtures.organization(Tier.FREE);

    // when
    CompletableFuture<BatchOutcome> outcome =
        service
            .ingestBatchAsync(
                organization, List.of(fixtures.command("order-1"), fixtures.command("order-1")))
            .toCompletableFuture();

    // then
    assertThat(outcome).isNotDone();
    log.commitAll();
    List<ItemResult> results = ((BatchOutcome.Processed) outcome.get(10, SECONDS)).results();
    assertThat(results.get(0)).isInstanceOf(ItemResult.Accepted.class);
    EventId stored = ((ItemResult.Accepted) results.get(0)).event().id();
    assertThat(results.get(1)).isEqualTo(new ItemResult.Duplicate(stored));
  }

  /** An event log whose appends wait until the test commits or fails them. */
  private static final class HeldEventLog implements EventLog {

    private final InMemoryEventStore delegate;
    private final List<Runnable> held = new ArrayList<>();
    private final List<CompletableFuture<List<AppendResult>>> answers = new ArrayList<>();

    HeldEventLog(InMemoryEventStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized CompletionStage<List<AppendResult>> appendAsync(
        List<Event> events, DeliveryMethod method) {
      CompletableFuture<List<AppendResult>> answer = new CompletableFuture<>();
      held.add(() -> answer.complete(delegate.append(events, method)));
      answers.add(answer);
      return answer;
    }

    synchronized void commitAll() {
      held.forEach(Runnable::run);
      held.clear();
      answers.clear();
    }

    synchronized void failAll() {
      answers.forEach(
          answer ->
              answer.completeExceptionally(
                  new StorageUnavailableException(
                      "the database is unreachable", new IOException("connection refused"))));
      held.clear();
      answers.clear();
    }

    @Override
    public List<AppendResult> append(List<Event> events, DeliveryMethod method) {
      throw new AssertionError("ingest appends asynchronously");
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

package io.triggers.adapters.http;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.ClaimedAttempt;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.Inbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The event store's three ports, working like the in-memory store until a test fails them all. */
final class SwitchableEventStore implements EventLog, Inbox, DeliveryLedger {

  private final InMemoryEventStore delegate;
  private final AtomicReference<Supplier<RuntimeException>> failure = new AtomicReference<>();
  private final Executor committer =
      Executors.newSingleThreadExecutor(
          task -> Thread.ofPlatform().name("test-group-commit").daemon().unstarted(task));

  /** Appends held back until {@link #gathering} of them wait; guarded by {@code this}. */
  private final List<Runnable> gathered = new ArrayList<>();

  private int gathering;

  SwitchableEventStore(InMemoryEventStore delegate) {
    this.delegate = delegate;
  }

  /**
   * Holds the next {@code count} asynchronous appends back, then makes and completes them all in
   * one task of the committer's thread, as a group commit completes the requests it wrote together.
   */
  synchronized void completeTogether(int count) {
    gathered.clear();
    gathering = count;
  }

  void failWith(Supplier<RuntimeException> exception) {
    failure.set(exception);
  }

  void recover() {
    failure.set(null);
  }

  private void check() {
    Supplier<RuntimeException> exception = failure.get();
    if (exception != null) {
      throw exception.get();
    }
  }

  @Override
  public List<AppendResult> append(List<Event> events, DeliveryMethod method) {
    check();
    return delegate.append(events, method);
  }

  /**
   * Appends on a thread of its own, as the group commit's writer does, so that the server answers
   * from a completion on a thread that is neither an IO thread nor the request's.
   */
  @Override
  public CompletionStage<List<AppendResult>> appendAsync(
      List<Event> events, DeliveryMethod method) {
    synchronized (this) {
      if (gathering > 0) {
        CompletableFuture<List<AppendResult>> appended = new CompletableFuture<>();
        gathered.add(
            () -> {
              try {
                appended.complete(append(events, method));
              } catch (RuntimeException e) {
                appended.completeExceptionally(e);
              }
            });
        if (gathered.size() == gathering) {
          List<Runnable> together = List.copyOf(gathered);
          gathered.clear();
          gathering = 0;
          committer.execute(() -> together.forEach(Runnable::run));
        }
        return appended;
      }
    }
    return CompletableFuture.supplyAsync(() -> append(events, method), committer);
  }

  @Override
  public Optional<StoredEvent> find(OrganizationId organization, EventId id) {
    check();
    return delegate.find(organization, id);
  }

  @Override
  public boolean delete(OrganizationId organization, EventId id) {
    check();
    return delegate.delete(organization, id);
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
    check();
    return delegate.deleteCreatedBefore(cutoff, maxEvents);
  }

  @Override
  public InboxPage list(OrganizationId organization, InboxQuery query) {
    check();
    return delegate.list(organization, query);
  }

  @Override
  public Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at) {
    check();
    return delegate.acknowledge(organization, id, at);
  }

  @Override
  public Set<EventId> acknowledgeAll(
      OrganizationId organization, Collection<EventId> ids, Instant at) {
    check();
    return delegate.acknowledgeAll(organization, ids, at);
  }

  @Override
  public Optional<ClaimedAttempt> claim(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Instant now,
      Instant leaseUntil) {
    check();
    return delegate.claim(organization, id, endpoint, now, leaseUntil);
  }

  @Override
  public Optional<Delivery> record(
      OrganizationId organization,
      EventId id,
      EndpointId endpoint,
      Delivery claimed,
      AttemptResult result) {
    check();
    return delegate.record(organization, id, endpoint, claimed, result);
  }

  @Override
  public List<DeliveryTask> due(Instant dueBy, Optional<DeliveryTask> after, int limit) {
    check();
    return delegate.due(dueBy, after, limit);
  }

  @Override
  public Optional<List<DeliveryTask>> scheduleRedelivery(
      OrganizationId organization, EventId id, Collection<EndpointId> endpoints, Instant dueAt) {
    check();
    return delegate.scheduleRedelivery(organization, id, endpoints, dueAt);
  }

  @Override
  public List<EndpointDelivery> deliveries(OrganizationId organization, EventId id) {
    check();
    return delegate.deliveries(organization, id);
  }

  @Override
  public int release(OrganizationId organization, EndpointId endpoint, Instant dueAt) {
    check();
    return delegate.release(organization, endpoint, dueAt);
  }

  @Override
  public int recover(
      OrganizationId organization,
      EndpointId endpoint,
      Instant since,
      Instant dueAt,
      boolean hold) {
    check();
    return delegate.recover(organization, endpoint, since, dueAt, hold);
  }

  @Override
  public int endAll(OrganizationId organization, EndpointId endpoint, String reason) {
    check();
    return delegate.endAll(organization, endpoint, reason);
  }

  /** The endpoints the store fans events out to; never failing. */
  Endpoints endpoints() {
    return delegate.endpoints();
  }
}

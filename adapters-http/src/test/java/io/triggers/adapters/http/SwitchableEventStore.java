package io.triggers.adapters.http;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** An event store that works like its delegate until a test makes every call fail. */
final class SwitchableEventStore implements EventStore {

  private final EventStore delegate;
  private final AtomicReference<Supplier<RuntimeException>> failure = new AtomicReference<>();

  SwitchableEventStore(EventStore delegate) {
    this.delegate = delegate;
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
  public AppendResult append(Event event) {
    check();
    return delegate.append(event);
  }

  @Override
  public List<AppendResult> appendAll(List<Event> events) {
    check();
    return delegate.appendAll(events);
  }

  @Override
  public List<AppendResult> appendForDelivery(List<Event> events) {
    check();
    return delegate.appendForDelivery(events);
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
  public Optional<Delivery> scheduleRedelivery(
      OrganizationId organization, EventId id, Instant dueAt) {
    check();
    return delegate.scheduleRedelivery(organization, id, dueAt);
  }

  @Override
  public Optional<StoredEvent> claimDelivery(
      OrganizationId organization, EventId id, Instant now, Instant leaseUntil) {
    check();
    return delegate.claimDelivery(organization, id, now, leaseUntil);
  }

  @Override
  public Optional<Delivery> recordAttempt(
      OrganizationId organization, EventId id, Instant leaseUntil, AttemptResult result) {
    check();
    return delegate.recordAttempt(organization, id, leaseUntil, result);
  }

  @Override
  public List<DeliveryTask> dueDeliveries(Instant dueBy, Optional<DeliveryTask> after, int limit) {
    check();
    return delegate.dueDeliveries(dueBy, after, limit);
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff, int maxEvents) {
    check();
    return delegate.deleteCreatedBefore(cutoff, maxEvents);
  }
}

package io.triggers.core.service;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.triggers.core.port.out.IdGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Rate limit and the dedup short-cut in one admission, then the durable append; the store's answer
 * is final. The store fans each event out to the organization's endpoints in the same write; each
 * delivery due now is also queued.
 *
 * <p>Each ingest is a chain of stages: the admission, then (only when a dedup id was claimed
 * before) a look for the claim's holder, then the append. The asynchronous forms return that chain,
 * so that a caller holds no thread while the admission and the commit are under way; the waiting
 * forms, the port's, wait for it.
 */
public final class IngestEventService implements IngestEvent {

  private final Admission admission;
  private final Deduplicator deduplicator;
  private final EventLog log;
  private final DeliveryQueue queue;
  private final IdGenerator ids;
  private final Executor mayWait;

  /**
   * Admits events through {@code admission} and drops the claims of events not stored through
   * {@code deduplicator}, the one that holds the claims {@code admission} makes; every step runs on
   * the thread that calls or completes the one before.
   */
  public IngestEventService(
      Admission admission,
      Deduplicator deduplicator,
      EventLog log,
      DeliveryQueue queue,
      IdGenerator ids) {
    this(admission, deduplicator, log, queue, ids, Runnable::run);
  }

  /**
   * As the other constructor, but runs the steps that may wait for a store and that most events
   * never take, the look for a claim's holder and the dropping of claims, on {@code mayWait}: the
   * thread that completes an admission or an append (a client's event loop, a commit's writer) must
   * not block.
   */
  public IngestEventService(
      Admission admission,
      Deduplicator deduplicator,
      EventLog log,
      DeliveryQueue queue,
      IdGenerator ids,
      Executor mayWait) {
    this.admission = admission;
    this.deduplicator = deduplicator;
    this.log = log;
    this.queue = queue;
    this.ids = ids;
    this.mayWait = mayWait;
  }

  @Override
  public CompletionStage<Outcome> ingestAsync(Organization organization, Command command) {
    Event event = newEvent(organization.id(), command);
    List<Event> events = List.of(event);
    return admit(organization, events)
        .thenCompose(
            decision ->
                switch (decision.rateLimit()) {
                  case RateLimit.Denied denied -> done(new Outcome.RateLimited(denied));
                  case RateLimit.Allowed allowed ->
                      storedHolders(organization.id(), events, decision)
                          .thenCompose(holders -> appendOne(event, holders.get(0), allowed));
                });
  }

  private CompletionStage<Outcome> appendOne(
      Event event, Optional<EventId> holder, RateLimit.Allowed allowed) {
    if (holder.isPresent()) {
      return done(new Outcome.Duplicate(holder.get(), allowed));
    }
    return append(List.of(event))
        .thenApply(
            results ->
                switch (results.get(0)) {
                  case AppendResult.Stored stored -> {
                    queueForDelivery(List.of(stored));
                    yield new Outcome.Accepted(stored.event(), allowed);
                  }
                  case AppendResult.Duplicate duplicate -> {
                    release(List.of(event));
                    yield new Outcome.Duplicate(duplicate.original(), allowed);
                  }
                });
  }

  @Override
  public CompletionStage<BatchOutcome> ingestBatchAsync(
      Organization organization, List<Command> commands) {
    if (commands.isEmpty() || commands.size() > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_SIZE + " events");
    }
    List<Event> events = new ArrayList<>(commands.size());
    for (Command command : commands) {
      events.add(newEvent(organization.id(), command));
    }
    return admit(organization, events)
        .thenCompose(
            decision ->
                switch (decision.rateLimit()) {
                  case RateLimit.Denied denied -> done(new BatchOutcome.RateLimited(denied));
                  case RateLimit.Allowed allowed ->
                      storedHolders(organization.id(), events, decision)
                          .thenCompose(holders -> appendBatch(events, holders, allowed));
                });
  }

  /** Appends the events no stored event holds the dedup id of, and judges every event. */
  private CompletionStage<BatchOutcome> appendBatch(
      List<Event> events, List<Optional<EventId>> holders, RateLimit.Allowed allowed) {
    List<Event> toAppend = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (holders.get(i).isEmpty()) {
        toAppend.add(events.get(i));
      }
    }
    CompletionStage<List<AppendResult>> appended =
        toAppend.isEmpty() ? done(List.of()) : append(toAppend);
    return appended.thenApply(
        results -> new BatchOutcome.Processed(itemResults(events, holders, results), allowed));
  }

  /**
   * Each event's result: a duplicate of the holder the admission found, or what the store did with
   * it ({@code appended} answers the events without a holder, in order).
   */
  private List<ItemResult> itemResults(
      List<Event> events, List<Optional<EventId>> holders, List<AppendResult> appended) {
    ItemResult[] results = new ItemResult[events.size()];
    List<AppendResult.Stored> stored = new ArrayList<>();
    List<Event> refused = new ArrayList<>();
    Map<EventId, EventId> refusedToOriginal = new HashMap<>();
    Iterator<AppendResult> answers = appended.iterator();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (holders.get(i).isPresent()) {
        results[i] = new ItemResult.Duplicate(holders.get(i).get());
        continue;
      }
      switch (answers.next()) {
        case AppendResult.Stored s -> {
          stored.add(s);
          results[i] = new ItemResult.Accepted(s.event());
        }
        case AppendResult.Duplicate d -> {
          refused.add(event);
          refusedToOriginal.put(event.id(), d.original());
          results[i] = new ItemResult.Duplicate(d.original());
        }
      }
    }
    release(refused);
    queueForDelivery(stored);
    return pointDuplicatesAtStoredEvents(results, refusedToOriginal);
  }

  /**
   * A later item of a batch may have been told it duplicates an earlier item that the store then
   * refused as a duplicate itself; such an item duplicates what the earlier one duplicated.
   */
  private static List<ItemResult> pointDuplicatesAtStoredEvents(
      ItemResult[] results, Map<EventId, EventId> refusedToOriginal) {
    List<ItemResult> pointed = new ArrayList<>(results.length);
    for (ItemResult result : results) {
      if (result instanceof ItemResult.Duplicate d && refusedToOriginal.containsKey(d.original())) {
        pointed.add(new ItemResult.Duplicate(refusedToOriginal.get(d.original())));
      } else {
        pointed.add(result);
      }
    }
    return pointed;
  }

  private Event newEvent(OrganizationId organization, Command command) {
    EventId id = ids.newEventId();
    return new Event(
        id, organization, command.type(), command.payload(), command.dedupId(), id.timestamp());
  }

  /** Takes the events from the allowance and, if they fit, claims their dedup ids together. */
  private CompletionStage<Admission.Decision> admit(Organization organization, List<Event> events) {
    List<Deduplicator.Claim> claims = new ArrayList<>();
    for (Event event : events) {
      event.dedupId().ifPresent(dedupId -> claims.add(new Deduplicator.Claim(dedupId, event.id())));
    }
    return admission.admitAsync(organization.id(), organization.tier(), events.size(), claims);
  }

  /**
   * For each event, the event already holding its dedup id, if that one is stored or earlier in the
   * same batch, from the claims the admission made. A claim whose event the store does not have
   * (its request died before the commit, or it was deleted) proves nothing, so such an event goes
   * on to the store, which decides. Only a claim held by another event takes a look in the store,
   * on the executor for what may wait.
   */
  private CompletionStage<List<Optional<EventId>>> storedHolders(
      OrganizationId organization, List<Event> events, Admission.Decision decision) {
    if (decision.holders().stream().noneMatch(Optional::isPresent)) {
      return done(Collections.nCopies(events.size(), Optional.empty()));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          Iterator<Optional<EventId>> claimed = decision.holders().iterator();
          Set<EventId> earlier = new HashSet<>();
          List<Optional<EventId>> holders = new ArrayList<>(events.size());
          for (Event event : events) {
            Optional<EventId> holder =
                event.dedupId().isPresent() ? claimed.next() : Optional.empty();
            holders.add(
                holder.filter(
                    id -> earlier.contains(id) || log.find(organization, id).isPresent()));
            earlier.add(event.id());
          }
          return holders;
        },
        mayWait);
  }

  /** Drops the dedup claims of events not stored, on the executor for what may wait. */
  private void release(List<Event> events) {
    if (events.stream().anyMatch(event -> event.dedupId().isPresent())) {
      mayWait.execute(
          () -> {
            for (Event event : events) {
              event
                  .dedupId()
                  .ifPresent(d -> deduplicator.release(event.organizationId(), d, event.id()));
            }
          });
    }
  }

  /**
   * Appends for push: the store writes each event's deliveries in the same write, so that a lost
   * queue entry is found again by the sweep. Should the append fail, the events' claims go.
   */
  private CompletionStage<List<AppendResult>> append(List<Event> events) {
    CompletionStage<List<AppendResult>> appended;
    try {
      appended = log.appendAsync(events, DeliveryMethod.PUSH);
    } catch (RuntimeException e) {
      appended = CompletableFuture.failedFuture(e);
    }
    return appended.whenComplete(
        (results, failure) -> {
          if (failure != null) {
            release(events);
          }
        });
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** Queues the deliveries due now of a request's events together: one call, not one each. */
  private void queueForDelivery(List<AppendResult.Stored> stored) {
    List<DeliveryTask> tasks = new ArrayList<>();
    for (AppendResult.Stored one : stored) {
      Event event = one.event();
      for (var endpoint : one.dueTo()) {
        tasks.add(
            new DeliveryTask(event.organizationId(), event.id(), endpoint, event.createdAt()));
      }
    }
    queue.enqueueAll(tasks);
  }
}

package io.triggers.core.service;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.EndpointId;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rate limit and the dedup short-cut in one admission, then the durable append; the store's answer
 * is final. The store fans each event out to the organization's endpoints in the same write; each
 * delivery due now is also queued.
 */
public final class IngestEventService implements IngestEvent {

  private final Admission admission;
  private final Deduplicator deduplicator;
  private final EventLog log;
  private final DeliveryQueue queue;
  private final IdGenerator ids;

  /**
   * Admits events through {@code admission} and drops the claims of events not stored through
   * {@code deduplicator}, the one that holds the claims {@code admission} makes.
   */
  public IngestEventService(
      Admission admission,
      Deduplicator deduplicator,
      EventLog log,
      DeliveryQueue queue,
      IdGenerator ids) {
    this.admission = admission;
    this.deduplicator = deduplicator;
    this.log = log;
    this.queue = queue;
    this.ids = ids;
  }

  @Override
  public Outcome ingest(Organization organization, Command command) {
    Event event = newEvent(organization.id(), command);
    Admission.Decision decision = admit(organization, List.of(event));
    RateLimit.Allowed allowed;
    switch (decision.rateLimit()) {
      case RateLimit.Denied denied -> {
        return new Outcome.RateLimited(denied);
      }
      case RateLimit.Allowed granted -> allowed = granted;
    }
    Optional<EventId> holder = storedHolders(organization.id(), List.of(event), decision).get(0);
    if (holder.isPresent()) {
      return new Outcome.Duplicate(holder.get(), allowed);
    }
    AppendResult result = appendReleasingOnFailure(List.of(event)).get(0);
    return switch (result) {
      case AppendResult.Stored stored -> {
        queueForDelivery(List.of(stored));
        yield new Outcome.Accepted(stored.event(), allowed);
      }
      case AppendResult.Duplicate duplicate -> {
        release(event);
        yield new Outcome.Duplicate(duplicate.original(), allowed);
      }
    };
  }

  @Override
  public BatchOutcome ingestBatch(Organization organization, List<Command> commands) {
    if (commands.isEmpty() || commands.size() > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_SIZE + " events");
    }
    List<Event> events = new ArrayList<>(commands.size());
    for (Command command : commands) {
      events.add(newEvent(organization.id(), command));
    }
    Admission.Decision decision = admit(organization, events);
    RateLimit.Allowed allowed;
    switch (decision.rateLimit()) {
      case RateLimit.Denied denied -> {
        return new BatchOutcome.RateLimited(denied);
      }
      case RateLimit.Allowed granted -> allowed = granted;
    }
    List<Optional<EventId>> holders = storedHolders(organization.id(), events, decision);
    ItemResult[] results = new ItemResult[commands.size()];
    List<Event> toAppend = new ArrayList<>();
    List<Integer> appendedIndexes = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (holders.get(i).isPresent()) {
        results[i] = new ItemResult.Duplicate(holders.get(i).get());
      } else {
        toAppend.add(events.get(i));
        appendedIndexes.add(i);
      }
    }
    List<AppendResult.Stored> stored = new ArrayList<>();
    Map<EventId, EventId> refusedToOriginal = new HashMap<>();
    if (!toAppend.isEmpty()) {
      List<AppendResult> appended = appendReleasingOnFailure(toAppend);
      for (int j = 0; j < appended.size(); j++) {
        Event event = toAppend.get(j);
        int index = appendedIndexes.get(j);
        switch (appended.get(j)) {
          case AppendResult.Stored s -> {
            stored.add(s);
            results[index] = new ItemResult.Accepted(s.event());
          }
          case AppendResult.Duplicate d -> {
            release(event);
            refusedToOriginal.put(event.id(), d.original());
            results[index] = new ItemResult.Duplicate(d.original());
          }
        }
      }
    }
    queueForDelivery(stored);
    return new BatchOutcome.Processed(
        pointDuplicatesAtStoredEvents(results, refusedToOriginal), allowed);
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
  private Admission.Decision admit(Organization organization, List<Event> events) {
    List<Deduplicator.Claim> claims = new ArrayList<>();
    for (Event event : events) {
      event.dedupId().ifPresent(dedupId -> claims.add(new Deduplicator.Claim(dedupId, event.id())));
    }
    return admission.admit(organization.id(), organization.tier(), events.size(), claims);
  }

  /**
   * For each event, the event already holding its dedup id, if that one is stored or earlier in the
   * same batch, from the claims the admission made. A claim whose event the store does not have
   * (its request died before the commit, or it was deleted) proves nothing, so such an event goes
   * on to the store, which decides.
   */
  private List<Optional<EventId>> storedHolders(
      OrganizationId organization, List<Event> events, Admission.Decision decision) {
    Iterator<Optional<EventId>> claimed = decision.holders().iterator();
    Set<EventId> earlier = new HashSet<>();
    List<Optional<EventId>> holders = new ArrayList<>(events.size());
    for (Event event : events) {
      Optional<EventId> holder = event.dedupId().isPresent() ? claimed.next() : Optional.empty();
      holders.add(
          holder.filter(id -> earlier.contains(id) || log.find(organization, id).isPresent()));
      earlier.add(event.id());
    }
    return holders;
  }

  private void release(Event event) {
    event.dedupId().ifPresent(d -> deduplicator.release(event.organizationId(), d, event.id()));
  }

  /**
   * Appends for push: the store writes each event's deliveries in the same write, so that a lost
   * queue entry is found again by the sweep.
   */
  private List<AppendResult> appendReleasingOnFailure(List<Event> events) {
    try {
      return log.append(events, DeliveryMethod.PUSH);
    } catch (RuntimeException e) {
      events.forEach(this::release);
      throw e;
    }
  }

  private void queueForDelivery(List<AppendResult.Stored> stored) {
    for (AppendResult.Stored one : stored) {
      Event event = one.event();
      for (EndpointId endpoint : one.dueTo()) {
        queue.enqueue(
            new DeliveryTask(event.organizationId(), event.id(), endpoint, event.createdAt()));
      }
    }
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An event's primary key, and how a batch of requests keyed by it is written: each event once, rows
 * in one lock order, so that batches running at once on several nodes wait on each other's rows
 * rather than deadlock.
 */
record EventKey(OrganizationId organization, EventId id) {

  static final Comparator<EventKey> LOCK_ORDER =
      Comparator.comparing((EventKey k) -> k.organization().value())
          .thenComparing(k -> k.id().value());

  /** The first request for each event, ordered by organization and then id. */
  static <R> List<R> distinctInLockOrder(List<R> requests, Function<R, EventKey> key) {
    Set<EventKey> seen = new HashSet<>();
    List<R> rows = new ArrayList<>(requests.size());
    for (R request : requests) {
      if (seen.add(key.apply(request))) {
        rows.add(request);
      }
    }
    rows.sort(Comparator.comparing(key, LOCK_ORDER));
    return rows;
  }

  /**
   * Each request's answer in order; a repeated request for an event gets nothing, as the loser of
   * two concurrent requests would.
   */
  static <R, A> List<Optional<A>> answers(
      List<R> requests, Function<R, EventKey> key, Map<EventKey, A> results) {
    Set<EventKey> answered = new HashSet<>();
    List<Optional<A>> answers = new ArrayList<>(requests.size());
    for (R request : requests) {
      EventKey k = key.apply(request);
      answers.add(answered.add(k) ? Optional.ofNullable(results.get(k)) : Optional.empty());
    }
    return answers;
  }
}

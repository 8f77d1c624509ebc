package io.triggers.adapters.postgres;

import io.triggers.core.model.EndpointId;
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
 * A delivery's primary key, and how a batch of requests keyed by it is written: each delivery once,
 * rows in one lock order, so that batches running at once on several nodes wait on each other's
 * rows rather than deadlock.
 */
record DeliveryKey(OrganizationId organization, EventId event, EndpointId endpoint) {

  static final Comparator<DeliveryKey> LOCK_ORDER =
      Comparator.comparing((DeliveryKey k) -> k.organization().value())
          .thenComparing(k -> k.event().value())
          .thenComparing(k -> k.endpoint().value());

  /** The first request for each delivery, ordered by organization, event and endpoint. */
  static <R> List<R> distinctInLockOrder(List<R> requests, Function<R, DeliveryKey> key) {
    Set<DeliveryKey> seen = new HashSet<>();
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
   * Each request's answer in order; a repeated request for a delivery gets nothing, as the loser of
   * two concurrent requests would.
   */
  static <R, A> List<Optional<A>> answers(
      List<R> requests, Function<R, DeliveryKey> key, Map<DeliveryKey, A> results) {
    Set<DeliveryKey> answered = new HashSet<>();
    List<Optional<A>> answers = new ArrayList<>(requests.size());
    for (R request : requests) {
      DeliveryKey k = key.apply(request);
      answers.add(answered.add(k) ? Optional.ofNullable(results.get(k)) : Optional.empty());
    }
    return answers;
  }
}

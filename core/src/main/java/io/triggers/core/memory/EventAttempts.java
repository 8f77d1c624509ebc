package io.triggers.core.memory;

import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.AttemptLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One organization's logged webhook attempts, per event in the order they were logged. Written
 * under the organization's lock, read without it: each event's list is replaced, never changed.
 * Only the latest {@link AttemptLog#SHOWN_PER_ENDPOINT} attempts to each endpoint are kept, since
 * no more are ever shown.
 */
final class EventAttempts {

  private static final Comparator<DeliveryAttempt> OLDEST_FIRST =
      Comparator.comparing(DeliveryAttempt::attemptedAt);

  private final ConcurrentMap<EventId, List<DeliveryAttempt>> byEvent = new ConcurrentHashMap<>();

  /** The attempt log over the organizations' events, read without their locks. */
  static AttemptLog logOf(Map<OrganizationId, OrganizationEvents> organizations) {
    return (organization, id) ->
        Optional.ofNullable(organizations.get(organization))
            .map(stored -> stored.attempts().newestFirst(id))
            .orElse(List.of());
  }

  /** Under the lock: logs the attempt, dropping its endpoint's oldest one past the limit. */
  void add(EventId id, DeliveryAttempt attempt) {
    List<DeliveryAttempt> changed = new ArrayList<>(byEvent.getOrDefault(id, List.of()));
    changed.add(attempt);
    List<DeliveryAttempt> sameEndpoint =
        changed.stream()
            .filter(logged -> logged.endpointId().equals(attempt.endpointId()))
            .toList();
    if (sameEndpoint.size() > AttemptLog.SHOWN_PER_ENDPOINT) {
      // The first logged of the oldest: the one the newest-first listing shows last.
      changed.remove(sameEndpoint.stream().min(OLDEST_FIRST).orElseThrow());
    }
    byEvent.put(id, List.copyOf(changed));
  }

  /** Under the lock: forgets the deleted event's attempts. */
  void forget(EventId id) {
    byEvent.remove(id);
  }

  /** The event's attempts, newest first, the later logged first among those of one instant. */
  List<DeliveryAttempt> newestFirst(EventId id) {
    List<DeliveryAttempt> logged = new ArrayList<>(byEvent.getOrDefault(id, List.of()));
    Collections.reverse(logged);
    logged.sort(OLDEST_FIRST.reversed());
    return logged;
  }
}

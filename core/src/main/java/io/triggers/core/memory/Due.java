package io.triggers.core.memory;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Instant;
import java.util.UUID;

/**
 * A scheduled delivery in the due index, ordered by due time, then organization and id (as unsigned
 * numbers, the order a database compares UUIDs in).
 */
record Due(Instant at, OrganizationId organization, EventId id, EndpointId endpoint)
    implements Comparable<Due> {

  static Due of(DeliveryTask task) {
    return new Due(task.dueAt(), task.organization(), task.eventId(), task.endpointId());
  }

  /** The index entry of a scheduled delivery: due at its next attempt. */
  static Due of(Event event, EndpointId endpoint, Delivery delivery) {
    return new Due(
        delivery.nextAttemptAt().orElseThrow(), event.organizationId(), event.id(), endpoint);
  }

  DeliveryTask task() {
    return new DeliveryTask(organization, id, endpoint, at);
  }

  @Override
  public int compareTo(Due other) {
    int byTime = at.compareTo(other.at);
    if (byTime != 0) {
      return byTime;
    }
    int byOrganization =
        Long.compareUnsigned(
            organization.value().getMostSignificantBits(),
            other.organization.value().getMostSignificantBits());
    if (byOrganization == 0) {
      byOrganization =
          Long.compareUnsigned(
              organization.value().getLeastSignificantBits(),
              other.organization.value().getLeastSignificantBits());
    }
    if (byOrganization != 0) {
      return byOrganization;
    }
    int byEvent = id.compareTo(other.id);
    return byEvent != 0 ? byEvent : compareUnsigned(endpoint.value(), other.endpoint.value());
  }

  private static int compareUnsigned(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}

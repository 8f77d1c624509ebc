package io.triggers.core.memory;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Instant;

/**
 * A scheduled delivery in the due index, ordered by due time, then organization and id (as unsigned
 * numbers, the order a database compares UUIDs in).
 */
record Due(Instant at, OrganizationId organization, EventId id) implements Comparable<Due> {

  static Due of(DeliveryTask task) {
    return new Due(task.dueAt(), task.organization(), task.eventId());
  }

  /** The index entry of a scheduled event: due at its next attempt. */
  static Due of(StoredEvent stored) {
    return new Due(
        stored.delivery().nextAttemptAt().orElseThrow(),
        stored.event().organizationId(),
        stored.event().id());
  }

  DeliveryTask task() {
    return new DeliveryTask(organization, id, at);
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
    return byOrganization != 0 ? byOrganization : id.compareTo(other.id);
  }
}

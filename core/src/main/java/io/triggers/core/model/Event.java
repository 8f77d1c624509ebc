package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An event as accepted from a client; immutable once stored. */
public record Event(
    EventId id,
    OrganizationId organizationId,
    EventType type,
    Payload payload,
    Optional<DedupId> dedupId,
    Instant createdAt) {

  /** Checks that every component is present and valid. */
  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(dedupId, "dedupId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}

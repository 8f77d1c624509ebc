package io.triggers.core.port.out;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.Objects;

/** One event to push to one of its organization's endpoints, no earlier than {@code dueAt}. */
public record DeliveryTask(
    OrganizationId organization, EventId eventId, EndpointId endpointId, Instant dueAt) {

  /** Refuses missing parts. */
  public DeliveryTask {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(dueAt, "dueAt");
  }
}

package io.triggers.core.port.out;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.Objects;

/** One event to push to its organization's webhook, no earlier than {@code dueAt}. */
public record DeliveryTask(OrganizationId organization, EventId eventId, Instant dueAt) {

  /** Checks that every component is present and valid. */
  public DeliveryTask {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(dueAt, "dueAt");
  }
}

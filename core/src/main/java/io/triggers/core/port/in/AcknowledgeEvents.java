package io.triggers.core.port.in;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Marks events as delivered because the consumer pulled them; stops further webhook attempts. */
public interface AcknowledgeEvents {

  /** The most ids one batch acknowledgement may carry. */
  int MAX_BATCH_SIZE = 1000;

  /** Idempotent; empty if there is no such event for this organization. */
  Optional<Acknowledgement> acknowledge(OrganizationId organization, EventId id);

  /** Acknowledges every event of {@code ids} that exists; reports the others. */
  BatchAcknowledgement acknowledgeAll(OrganizationId organization, List<EventId> ids);

  /** The event is delivered; {@code acknowledgedAt} is when it first became so. */
  record Acknowledgement(EventId id, Instant acknowledgedAt) {
    /** Checks that every component is present and valid. */
    public Acknowledgement {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
    }
  }

  /** How many were acknowledged, and which ids this organization has no event for. */
  record BatchAcknowledgement(int acknowledged, List<EventId> notFound) {
    /** Keeps an unmodifiable copy of the list. */
    public BatchAcknowledgement {
      notFound = List.copyOf(notFound);
    }
  }
}

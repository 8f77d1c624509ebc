package io.triggers.core.port.in;

import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads one of the organization's events with its delivery state and its deliveries. */
public interface GetEvent {

  /** Empty if there is no such event for this organization. */
  Optional<Found> get(OrganizationId organization, EventId id);

  /**
   * The event with its summary delivery state, and its deliveries, one per endpoint it was fanned
   * out to.
   */
  record Found(StoredEvent stored, List<EndpointDelivery> deliveries) {

    /** Refuses missing parts. */
    public Found {
      Objects.requireNonNull(stored, "stored");
      deliveries = List.copyOf(deliveries);
    }
  }
}

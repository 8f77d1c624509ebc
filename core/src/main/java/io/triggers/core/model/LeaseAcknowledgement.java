package io.triggers.core.model;

import java.util.List;

/**
 * What an ack through a lease did: the events now acknowledged, those another lease took since
 * (their ack refused), and the ids given that the lease never held.
 */
public record LeaseAcknowledgement(
    List<EventId> acknowledged, List<EventId> expired, List<EventId> notInLease) {

  /** Checks that every component is present and valid. */
  public LeaseAcknowledgement {
    acknowledged = List.copyOf(acknowledged);
    expired = List.copyOf(expired);
    notInLease = List.copyOf(notInLease);
  }
}

package io.triggers.core.port.out;

import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.List;

/**
 * The log of an event's webhook attempts, written by the {@link DeliveryLedger} together with each
 * attempt's record (an attempt whose claim no longer held is not logged), and gone with the event.
 *
 * <p>Thread-safe; read-only. Another organization's events are treated as absent. When the store
 * cannot be reached, the method throws {@link io.triggers.core.model.StorageUnavailableException}.
 */
public interface AttemptLog {

  /** How many of the latest attempts to each endpoint an event's log shows. */
  int SHOWN_PER_ENDPOINT = 50;

  /**
   * The event's logged attempts, the latest {@link #SHOWN_PER_ENDPOINT} to each endpoint, newest
   * first (attempts made at the same instant, the one logged last first); empty if there is none or
   * no such event.
   */
  List<DeliveryAttempt> attempts(OrganizationId organization, EventId id);
}

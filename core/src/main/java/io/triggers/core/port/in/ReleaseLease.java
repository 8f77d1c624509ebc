package io.triggers.core.port.in;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Lets go of leased events without an ack (a nack), leasable again now or after a delay. */
public interface ReleaseLease {

  /** The longest delay a release may ask for: twelve hours. */
  int MAX_DELAY_SECONDS = 43_200;

  /**
   * Releases the events of {@code ids} (all when absent) that the lease still holds, leasable again
   * after {@code delaySeconds} (0 to {@value #MAX_DELAY_SECONDS}); returns them. An event on its
   * last allowed lease is dead instead. Empty if the organization has no such lease.
   */
  Optional<List<EventId>> release(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids, int delaySeconds);

  /** Refuses a delay out of its range. */
  static void requireDelaySeconds(int delaySeconds) {
    if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
      throw new InvalidValueException(
          "delay_seconds", "delay_seconds must be between 0 and " + MAX_DELAY_SECONDS);
    }
  }
}

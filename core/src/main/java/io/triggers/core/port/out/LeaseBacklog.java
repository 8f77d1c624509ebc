package io.triggers.core.port.out;

import java.time.Instant;

/**
 * How the inbox leases stand across all organizations: what an operator watches to see pull
 * consumers fall behind or give up on events. Read-only.
 *
 * <p>Thread-safe. A snapshot may cost a query or a scan, so callers sample it every few seconds,
 * never once per request. When the store cannot be reached, {@link #snapshot} throws {@link
 * io.triggers.core.model.StorageUnavailableException}.
 */
public interface LeaseBacklog {

  /**
   * The leases as they stand at {@code now}, for events that are dead after {@code maxLeases}
   * leases, as {@link io.triggers.core.model.InboxState#status} tells them apart.
   */
  Snapshot snapshot(Instant now, int maxLeases);

  /**
   * One reading of the leases.
   *
   * @param leased events in an inbox that a lease holds now
   * @param dead events in an inbox that used up their leases, until redelivered, acknowledged or
   *     sought past
   */
  record Snapshot(long leased, long dead) {

    /** Checks that every component is present and valid. */
    public Snapshot {
      if (leased < 0 || dead < 0) {
        throw new IllegalArgumentException("lease counts cannot be negative");
      }
    }

    /** No event leased and none dead. */
    public static Snapshot empty() {
      return new Snapshot(0, 0);
    }
  }
}

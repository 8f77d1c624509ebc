package io.triggers.core.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How much webhook delivery work waits in the store, across all organizations: what an operator
 * watches to see deliveries fall behind. Read-only.
 *
 * <p>Thread-safe. A snapshot may cost a query or a scan, so callers sample it every few seconds,
 * never once per request. When the store cannot be reached, {@link #snapshot} throws {@link
 * io.triggers.core.model.StorageUnavailableException}.
 */
public interface DeliveryBacklog {

  /** The backlog as it stands at {@code now}. */
  Snapshot snapshot(Instant now);

  /**
   * One reading of the backlog.
   *
   * @param due scheduled deliveries whose next attempt is due (a claimed attempt is not due until
   *     its lease ends)
   * @param retrying deliveries that failed at least once and will be tried again, due or not
   * @param failed deliveries that gave up, until redelivered, acknowledged or deleted
   * @param held deliveries kept, not sent, while their endpoint is paused or disabled
   * @param oldestDue when the longest-waiting due delivery fell due; empty when none is due
   */
  record Snapshot(long due, long retrying, long failed, long held, Optional<Instant> oldestDue) {

    /** Checks that every component is present and valid. */
    public Snapshot {
      Objects.requireNonNull(oldestDue, "oldestDue");
      if (due < 0 || retrying < 0 || failed < 0 || held < 0) {
        throw new IllegalArgumentException("backlog counts cannot be negative");
      }
      if (due == 0 && oldestDue.isPresent()) {
        throw new IllegalArgumentException("an empty backlog has no oldest due delivery");
      }
    }

    /** An empty backlog. */
    public static Snapshot empty() {
      return new Snapshot(0, 0, 0, 0, Optional.empty());
    }

    /** How long the oldest due delivery has waited at {@code now}; zero when none is due. */
    public Duration oldestDueAge(Instant now) {
      return oldestDue
          .map(since -> Duration.between(since, now))
          .filter(age -> !age.isNegative())
          .orElse(Duration.ZERO);
    }
  }
}

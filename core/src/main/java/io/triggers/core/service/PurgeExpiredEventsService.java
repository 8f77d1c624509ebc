package io.triggers.core.service;

import io.triggers.core.port.in.PurgeExpiredEvents;
import io.triggers.core.port.out.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Deletes expired events from the event log in bounded batches, so that no call holds it long. */
public final class PurgeExpiredEventsService implements PurgeExpiredEvents {

  /** Events deleted per call: large enough to keep up, small enough to hold no lock long. */
  static final int BATCH_SIZE = 5_000;

  private final EventLog events;
  private final Clock clock;
  private final Duration retention;

  /** Creates the use case, deleting events older than {@code retention}. */
  public PurgeExpiredEventsService(EventLog events, Clock clock, Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive");
    }
    this.events = events;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  public int purgeExpired() {
    Instant cutoff = clock.instant().minus(retention);
    int total = 0;
    int deleted;
    do {
      deleted = events.deleteCreatedBefore(cutoff, BATCH_SIZE);
      total += deleted;
    } while (deleted == BATCH_SIZE);
    return total;
  }
}

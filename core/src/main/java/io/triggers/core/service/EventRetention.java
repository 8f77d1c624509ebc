package io.triggers.core.service;

import io.triggers.core.port.out.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes events once they are older than the retention period, in bounded batches; the dedup
 * guarantee of an event lasts exactly as long as the event.
 */
public final class EventRetention {

  /** Events deleted per call: large enough to keep up, small enough to hold no lock long. */
  static final int BATCH_SIZE = 5_000;

  private final EventLog events;
  private final Clock clock;
  private final Duration retention;

  public EventRetention(EventLog events, Clock clock, Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive");
    }
    this.events = events;
    this.clock = clock;
    this.retention = retention;
  }

  /** Deletes every event created more than the retention period ago; returns how many. */
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

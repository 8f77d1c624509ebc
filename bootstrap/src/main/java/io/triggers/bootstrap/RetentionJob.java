package io.triggers.bootstrap;

import io.triggers.core.embed.TriggersDefaults;
import io.triggers.core.port.in.PurgeExpiredEvents;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link PurgeExpiredEvents} in the background, once a minute. */
final class RetentionJob implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final Duration PERIOD = TriggersDefaults.RETENTION_PERIOD;

  private final PurgeExpiredEvents retention;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("triggers-retention").daemon().factory());

  @Inject
  RetentionJob(PurgeExpiredEvents retention) {
    this.retention = retention;
  }

  void start() {
    scheduler.scheduleWithFixedDelay(
        this::purge, PERIOD.toSeconds(), PERIOD.toSeconds(), TimeUnit.SECONDS);
  }

  private void purge() {
    try {
      int deleted = retention.purgeExpired();
      if (deleted > 0) {
        LOG.info("retention deleted {} expired events", deleted);
      }
    } catch (RuntimeException e) {
      // A database outage must not end the schedule; the next run tries again.
      LOG.warn("retention could not delete expired events: {}", e.getMessage());
    }
  }

  /** Stops the schedule; a purge under way is interrupted between batches at the latest. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

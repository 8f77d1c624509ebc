package io.triggers.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL adapter's meters: the group commit's batches ({@code triggers_group_commit_rows},
 * {@code triggers_group_commit_seconds}, histograms with fixed buckets), whether the database is
 * reachable ({@code triggers_postgres_up}), and the pool's own series from HikariCP's tracker
 * ({@code hikaricp_connections_*}).
 */
final class PostgresMeters {

  static final String GROUP_COMMIT_ROWS = "triggers.group.commit.rows";
  static final String GROUP_COMMIT_TIME = "triggers.group.commit";
  static final String UP = "triggers.postgres.up";

  /** Up to several times the largest batch, since one append may bring a whole request batch. */
  static final double[] ROW_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000};

  static final Duration[] COMMIT_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(20),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2_500)
  };

  private final MeterRegistry registry;

  PostgresMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Makes the pool report its connections, waits and timeouts. */
  void track(HikariConfig pool) {
    pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
  }

  /** Times each committed batch of events and counts its rows. */
  StatementBatcher.BatchObserver groupCommit() {
    DistributionSummary rows =
        DistributionSummary.builder(GROUP_COMMIT_ROWS)
            .description("events per group commit: rows inserted in one statement and transaction")
            .serviceLevelObjectives(ROW_BUCKETS)
            .register(registry);
    Timer time =
        Timer.builder(GROUP_COMMIT_TIME)
            .description("time to insert and commit one group of events, retries included")
            .serviceLevelObjectives(COMMIT_BUCKETS)
            .register(registry);
    return (count, nanos) -> {
      rows.record(count);
      time.record(nanos, TimeUnit.NANOSECONDS);
    };
  }

  /** 1 while the database is reachable, 0 while it is known to be down. */
  void availability(PostgresAvailability availability) {
    Gauge.builder(UP, availability, gate -> gate.isDown() ? 0 : 1)
        .description("whether PostgreSQL is reachable: 0 while it is known to be down")
        .register(registry);
  }
}

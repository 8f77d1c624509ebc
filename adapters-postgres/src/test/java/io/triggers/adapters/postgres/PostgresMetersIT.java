package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter's meters on a real database: group commit, pool and availability. */
class PostgresMetersIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static PostgresDatabase database;

  @BeforeAll
  static void start() {
    database = PostgresDatabase.start(TestDatabase.freshSchema(), meters);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void countsTheRowsAndTimesTheCommitOfEachGroup() {
    // given
    DistributionSummary rows = meters.get(PostgresMeters.GROUP_COMMIT_ROWS).summary();
    Timer commits = meters.get(PostgresMeters.GROUP_COMMIT_TIME).timer();
    long groupsBefore = rows.count();
    double rowsBefore = rows.totalAmount();
    OrganizationId organization = TestEvents.newOrganization();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(TestEvents.event(organization, NOW));
    }

    // when
    database.events().append(events, DeliveryMethod.PULL);
    database.events().append(List.of(TestEvents.event(organization, NOW)), DeliveryMethod.PULL);

    // then
    assertThat(rows.count() - groupsBefore).isEqualTo(2);
    assertThat(rows.totalAmount() - rowsBefore).isEqualTo(6);
    assertThat(commits.count()).isEqualTo(rows.count());
    assertThat(rows.takeSnapshot().histogramCounts()).hasSize(PostgresMeters.ROW_BUCKETS.length);
    assertThat(commits.takeSnapshot().histogramCounts())
        .hasSize(PostgresMeters.COMMIT_BUCKETS.length);
  }

  @Test
  void reportsThePoolThroughHikarisTracker() {
    assertThat(meters.find("hikaricp.connections.max").tag("pool", "triggers-postgres").gauge())
        .isNotNull();
    assertThat(meters.find("hikaricp.connections.active").gauge()).isNotNull();
    assertThat(meters.find("hikaricp.connections.pending").gauge()).isNotNull();
  }

  @Test
  void reportsTheDatabaseUpWhileItIsReachable() {
    assertThat(meters.get(PostgresMeters.UP).gauge().value()).isEqualTo(1.0);
  }
}

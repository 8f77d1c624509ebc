package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PostgresMeters meters = new PostgresMeters(registry);

  @Test
  void reportsTheDatabaseDownOnceTheAvailabilityGateKnowsIt() throws Exception {
    // given
    try (PostgresAvailability availability =
        new PostgresAvailability(
            () -> {
              throw new SQLException("Connection refused", "08001");
            })) {
      meters.availability(availability);
      double before = registry.get(PostgresMeters.UP).gauge().value();

      // when
      availability.failed(new SQLException("An I/O error occurred", "08006"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!availability.isDown() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      // then
      assertThat(before).isEqualTo(1.0);
      assertThat(registry.get(PostgresMeters.UP).gauge().value()).isEqualTo(0.0);
    }
  }

  @Test
  void recordsEachObservedBatch() {
    // given
    StatementBatcher.BatchObserver observer = meters.groupCommit();

    // when
    observer.ran(40, Duration.ofMillis(3).toNanos());
    observer.ran(2, Duration.ofMillis(1).toNanos());

    // then
    assertThat(registry.get(PostgresMeters.GROUP_COMMIT_ROWS).summary().totalAmount())
        .isEqualTo(42);
    assertThat(registry.get(PostgresMeters.GROUP_COMMIT_TIME).timer().count()).isEqualTo(2);
  }
}

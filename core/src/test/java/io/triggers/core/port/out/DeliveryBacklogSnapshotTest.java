package io.triggers.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.port.out.DeliveryBacklog.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryBacklogSnapshotTest {

  private static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");

  @Test
  void theOldestDueAgeIsHowLongItHasWaited() {
    Snapshot snapshot = new Snapshot(2, 0, 0, 0, Optional.of(NOW.minusSeconds(90)));

    assertThat(snapshot.oldestDueAge(NOW)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theOldestDueAgeIsZeroWhenNothingIsDueOrTheClockIsBehind() {
    assertThat(Snapshot.empty().oldestDueAge(NOW)).isZero();
    assertThat(new Snapshot(1, 0, 0, 0, Optional.of(NOW.plusSeconds(1))).oldestDueAge(NOW))
        .isZero();
  }

  @Test
  void refusesNegativeCountsAndAnOldestDueWithNothingDue() {
    assertThatThrownBy(() -> new Snapshot(-1, 0, 0, 0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Snapshot(0, 0, 0, 0, Optional.of(NOW)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

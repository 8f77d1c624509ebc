package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureStreakTest {

  private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration AFTER = Duration.ofDays(5);

  @Test
  void disablesOnlyOnceItHasLastedTheWholePeriodWithEnoughAttempts() {
    FailureStreak ten = new FailureStreak(SINCE, FailureStreak.MIN_ATTEMPTS_TO_DISABLE);

    assertThat(ten.disables(AFTER, SINCE.plus(AFTER))).isTrue();
    assertThat(ten.disables(AFTER, SINCE.plus(AFTER).minusMillis(1))).isFalse();
    assertThat(new FailureStreak(SINCE, 9).disables(AFTER, SINCE.plus(Duration.ofDays(30))))
        .isFalse();
    assertThat(new FailureStreak(SINCE, 1_000).disables(AFTER, SINCE.plus(Duration.ofHours(1))))
        .isFalse();
  }

  @Test
  void countsFromItsFirstAttempt() {
    assertThat(FailureStreak.startedAt(SINCE).plusOne()).isEqualTo(new FailureStreak(SINCE, 2));
    assertThatThrownBy(() -> new FailureStreak(SINCE, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.triggers.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final double MIDDLE = 0.5;
  private static final double LARGEST_BELOW_ONE = Math.nextDown(1.0);

  private final RetrySchedule schedule = RetrySchedule.standard();

  @Test
  void waitsFiveSecondsThirtySecondsAndSoOnUpToFourHoursThenGivesUp() {
    // when
    List<Optional<Duration>> delays = new ArrayList<>();
    for (int attempt = 1; attempt <= 9; attempt++) {
      delays.add(schedule.delayAfter(attempt, MIDDLE, Optional.empty()));
    }

    // then
    assertThat(delays)
        .containsExactly(
            Optional.of(Duration.ofSeconds(5)),
            Optional.of(Duration.ofSeconds(30)),
            Optional.of(Duration.ofMinutes(2)),
            Optional.of(Duration.ofMinutes(10)),
            Optional.of(Duration.ofMinutes(30)),
            Optional.of(Duration.ofHours(1)),
            Optional.of(Duration.ofHours(2)),
            Optional.of(Duration.ofHours(4)),
            Optional.empty());
    assertThat(schedule.maxAttempts()).isEqualTo(9);
  }

  @Test
  void spreadsEachDelayByAtMostTwentyPercentEitherWay() {
    // when
    Duration shortest = schedule.delayAfter(2, 0.0, Optional.empty()).orElseThrow();
    Duration longest = schedule.delayAfter(2, LARGEST_BELOW_ONE, Optional.empty()).orElseThrow();
    Duration quarter = schedule.delayAfter(2, 0.25, Optional.empty()).orElseThrow();

    // then
    assertThat(shortest).isEqualTo(Duration.ofSeconds(24));
    assertThat(longest).isEqualTo(Duration.ofSeconds(36));
    assertThat(quarter).isEqualTo(Duration.ofSeconds(27));
  }

  @Test
  void waitsAsLongAsRetryAfterAsksWhenThatIsLonger() {
    // when
    Duration asked = schedule.delayAfter(1, MIDDLE, Optional.of(Duration.ofMinutes(3))).get();
    Duration shorter = schedule.delayAfter(3, MIDDLE, Optional.of(Duration.ofSeconds(1))).get();

    // then
    assertThat(asked).isEqualTo(Duration.ofMinutes(3));
    assertThat(shorter).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void capsRetryAfterAtTheLongestStep() {
    // when
    Duration delay = schedule.delayAfter(1, MIDDLE, Optional.of(Duration.ofDays(30))).get();

    // then
    assertThat(delay).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void givesUpAfterTheLastAttemptWhateverRetryAfterSays() {
    // when / then
    assertThat(schedule.delayAfter(9, MIDDLE, Optional.of(Duration.ofSeconds(1)))).isEmpty();
  }

  @Test
  void refusesNonsense() {
    // when / then
    assertThatThrownBy(() -> schedule.delayAfter(0, MIDDLE, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> schedule.delayAfter(1, 1.0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ZERO), 0.2, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RetrySchedule(List.of(Duration.ofSeconds(1)), 1.0, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

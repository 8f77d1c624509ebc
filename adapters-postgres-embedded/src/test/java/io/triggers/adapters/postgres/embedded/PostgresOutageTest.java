package io.triggers.adapters.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresOutageTest {

  private final MutableClock clock = new MutableClock();
  private final PostgresOutage outage = new PostgresOutage(clock, Duration.ofMinutes(1));

  @Test
  void waitsHalfASecondThenTwiceAsLongAfterEachFailureUpToThirtySeconds() {
    // given
    List<Duration> waits = new ArrayList<>();

    // when
    waits.add(outage.died());
    for (int i = 0; i < 8; i++) {
      waits.add(outage.failed());
    }

    // then
    assertThat(waits)
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
    assertThat(outage.failedAttempts()).isEqualTo(8);
  }

  @Test
  void staysLiveWhileTheDatabaseHasBeenDownForLessThanTheLimit() {
    // given
    outage.died();

    // when
    clock.advance(Duration.ofSeconds(59));
    outage.failed();

    // then
    assertThat(outage.down()).isTrue();
    assertThat(outage.live()).isTrue();
  }

  @Test
  void isNoLongerLiveOnceTheDatabaseHasBeenDownForTheLimit() {
    // given
    outage.died();

    // when
    clock.advance(Duration.ofMinutes(1));

    // then
    assertThat(outage.live()).isFalse();
  }

  @Test
  void isLiveAgainAndStartsTheScheduleAfreshOnceRestarted() {
    // given
    outage.died();
    outage.failed();
    clock.advance(Duration.ofMinutes(2));

    // when
    Duration down = outage.restarted();

    // then
    assertThat(down).isEqualTo(Duration.ofMinutes(2));
    assertThat(outage.live()).isTrue();
    assertThat(outage.down()).isFalse();
    assertThat(outage.died()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void countsAnOutageFromItsFirstNoticeNotFromALaterOne() {
    // given
    outage.died();
    clock.advance(Duration.ofSeconds(40));

    // when the same death is noticed again
    outage.died();
    clock.advance(Duration.ofSeconds(20));

    // then
    assertThat(outage.live()).isFalse();
  }
}

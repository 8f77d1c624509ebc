package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.testing.RecordingLogger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureLogsTest {

  private static final Duration INTERVAL = Duration.ofMinutes(1);

  private final AtomicLong nanos = new AtomicLong(42L);
  private final RecordingLogger logger = new RecordingLogger();
  private final FailureLogs<String> logs =
      new FailureLogs<>(logger, Level.WARNING, key -> "Calls to " + key, INTERVAL, nanos::get, 2);

  @Test
  void throttlesEachKeyAloneSoAFloodOnOneHidesNoOther() {
    // given a flood on one key
    logs.record("a", "HTTP 500");
    for (int i = 0; i < 100; i++) {
      logs.record("a", "HTTP 500");
    }

    // when another key fails for the first time
    logs.record("b", "refused");

    // then
    assertThat(logger.messages())
        .containsExactly("Calls to a failed: HTTP 500", "Calls to b failed: refused");
  }

  @Test
  void tellsHowManyOfAKeyFailedSinceItsLastLine() {
    // given
    logs.record("a", "HTTP 500");
    logs.record("a", "HTTP 502");
    logs.record("a", "HTTP 503");

    // when
    nanos.addAndGet(INTERVAL.toNanos());
    logs.record("a", "HTTP 504");

    // then
    assertThat(logger.lines()).extracting(RecordingLogger.Line::level).containsOnly(Level.WARNING);
    assertThat(logger.messages())
        .containsExactly(
            "Calls to a failed: HTTP 500", "Calls to a failed 3 times in the last 60 s: HTTP 504");
  }

  @Test
  void forgetsTheKeyQuietLongestPastItsLimitAndLogsItInFullAgain() {
    // given two keys, the limit, with "a" used last
    logs.record("b", "one");
    logs.record("a", "one");

    // when a third arrives, then "a" and "b" fail again within the interval
    logs.record("c", "one");
    logs.record("a", "two");
    logs.record("b", "two");

    // then "b" was forgotten, so its new failure is told in full; "a" was kept and stays quiet
    assertThat(logs.size()).isEqualTo(2);
    assertThat(logger.messages())
        .containsExactly(
            "Calls to b failed: one",
            "Calls to a failed: one",
            "Calls to c failed: one",
            "Calls to b failed: two");
  }

  @Test
  void logsTheStackTraceWithAKeysFirstFailureOnly() {
    // given
    IllegalStateException first = new IllegalStateException("first");

    // when
    logs.record("a", "request 1: " + first, first);
    logs.record("a", "request 2", new IllegalStateException("second"));

    // then
    assertThat(logger.lines())
        .containsExactly(
            new RecordingLogger.Line(
                Level.WARNING,
                "Calls to a failed: request 1: java.lang.IllegalStateException: first",
                first));
  }

  @Test
  void refusesALimitOrIntervalThatCannotWork() {
    assertThatThrownBy(
            () -> new FailureLogs<String>(logger, Level.WARNING, k -> k, INTERVAL, nanos::get, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new FailureLogs<String>(
                    logger, Level.WARNING, k -> k, Duration.ZERO, nanos::get, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

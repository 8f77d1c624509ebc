package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.testing.RecordingLogger;
import io.triggers.core.testing.RecordingLogger.Line;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureLogTest {

  private static final Duration INTERVAL = Duration.ofSeconds(60);

  private final AtomicLong nanos = new AtomicLong(123_456_789L);
  private final RecordingLogger logger = new RecordingLogger();
  private final FailureLog log =
      new FailureLog(logger, Level.ERROR, "Serving requests", INTERVAL, nanos::get);

  @Test
  void logsTheFirstFailureInFullWithItsStackTrace() {
    // given
    IllegalStateException failure = new IllegalStateException("boom");

    // when
    log.record("request 1 to GET /x: " + failure, failure);

    // then
    assertThat(logger.lines())
        .containsExactly(
            new Line(
                Level.ERROR,
                "Serving requests failed: request 1 to GET /x: java.lang.IllegalStateException:"
                    + " boom",
                failure));
  }

  @Test
  void logsRepeatedFailuresOncePerIntervalWithTheirCountAndTheLatestReason() {
    // given
    log.record(new IllegalStateException("first"));

    // when: 531 more within the interval, then one after it
    for (int i = 0; i < 531; i++) {
      nanos.addAndGet(Duration.ofMillis(100).toNanos());
      log.record(new IllegalStateException("failure " + i));
    }
    nanos.addAndGet(INTERVAL.toNanos());
    log.record(new IllegalStateException("latest"));

    // then
    assertThat(logger.lines()).hasSize(2);
    assertThat(logger.lines().get(1))
        .isEqualTo(
            new Line(
                Level.ERROR,
                "Serving requests failed 532 times in the last 113 s:"
                    + " java.lang.IllegalStateException: latest",
                null));
    assertThat(log.total()).isEqualTo(533);
  }

  @Test
  void writesNothingMoreWithinTheInterval() {
    // given
    log.record("one");

    // when
    nanos.addAndGet(INTERVAL.minusNanos(1).toNanos());
    log.record("two");
    log.record("three");

    // then
    assertThat(logger.lines()).hasSize(1);
    assertThat(log.total()).isEqualTo(3);
  }

  @Test
  void logsInFullAgainAfterAQuietInterval() {
    // given
    log.record("one");
    nanos.addAndGet(INTERVAL.toNanos());
    IllegalStateException later = new IllegalStateException("later");

    // when
    log.record(later);

    // then
    assertThat(logger.lines())
        .containsExactly(
            new Line(Level.ERROR, "Serving requests failed: one", null),
            new Line(
                Level.ERROR,
                "Serving requests failed: java.lang.IllegalStateException: later",
                later));
  }

  @Test
  void logsTheCauseOfAnAsynchronousFailure() {
    // given
    IllegalStateException cause = new IllegalStateException("refused");

    // when
    log.record(new CompletionException(cause));

    // then
    assertThat(logger.lines())
        .containsExactly(
            new Line(
                Level.ERROR,
                "Serving requests failed: java.lang.IllegalStateException: refused",
                cause));
  }

  @Test
  void holdsItsCountAcrossTheWrapAroundOfNanoTime() {
    // given
    nanos.set(Long.MAX_VALUE - 10);
    log.record("before");

    // when
    nanos.set(Long.MIN_VALUE + 10);
    log.record("after");

    // then
    assertThat(logger.lines()).hasSize(1);
  }
}

package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.port.out.DeliveryMetrics;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryMetrics} must do: count each attempt under how it ended and each
 * delivery, exactly, from many threads at once, and never throw; extend it with a factory for the
 * implementation and a way to read its counts back.
 */
public abstract class DeliveryMetricsContract {

  private static final Instant NOW = MutableClock.DEFAULT_START;

  protected DeliveryMetrics metrics;

  /** The implementation under test, fresh for each test. */
  protected abstract DeliveryMetrics newMetrics();

  /** How many attempts that ended as {@code kind} the implementation has counted. */
  protected abstract long attempts(Class<? extends AttemptResult> kind);

  /** How many deliveries the implementation has timed. */
  protected abstract long deliveries();

  @BeforeEach
  final void createMetrics() {
    metrics = newMetrics();
  }

  @Test
  void countsEachAttemptUnderHowItEnded() {
    // when
    metrics.attempted(new AttemptResult.Delivered(NOW, NOW));
    metrics.attempted(new AttemptResult.Retrying(NOW, "HTTP 500", NOW.plusSeconds(5)));
    metrics.attempted(new AttemptResult.Retrying(NOW, "HTTP 500", NOW.plusSeconds(30)));
    metrics.attempted(new AttemptResult.Failed(NOW, "HTTP 410 Gone"));
    metrics.attempted(new AttemptResult.Abandoned("no webhook is configured"));

    // then
    assertThat(attempts(AttemptResult.Delivered.class)).isEqualTo(1);
    assertThat(attempts(AttemptResult.Retrying.class)).isEqualTo(2);
    assertThat(attempts(AttemptResult.Failed.class)).isEqualTo(1);
    assertThat(attempts(AttemptResult.Abandoned.class)).isEqualTo(1);
  }

  @Test
  void countsEveryReportFromManyThreadsExactly() throws Exception {
    // when
    Concurrently.run(
        8,
        thread -> {
          for (int i = 0; i < 1_000; i++) {
            metrics.attempted(new AttemptResult.Delivered(NOW, NOW));
            metrics.delivered(Duration.ofMillis(i));
          }
          return thread;
        });

    // then
    assertThat(attempts(AttemptResult.Delivered.class)).isEqualTo(8_000);
    assertThat(deliveries()).isEqualTo(8_000);
  }

  @Test
  void takesAnyLatencyWithoutThrowing() {
    // A clock stepped back between ingest and delivery, or an event redelivered days later.
    assertThatCode(
            () -> {
              metrics.delivered(Duration.ofMillis(-5));
              metrics.delivered(Duration.ZERO);
              metrics.delivered(Duration.ofDays(30));
              metrics.delivered(Duration.ofSeconds(Long.MAX_VALUE));
            })
        .doesNotThrowAnyException();
    assertThat(deliveries()).isEqualTo(4);
  }
}

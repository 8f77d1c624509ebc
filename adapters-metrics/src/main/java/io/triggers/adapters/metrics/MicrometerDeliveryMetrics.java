package io.triggers.adapters.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.port.out.DeliveryMetrics;
import java.time.Duration;

/**
 * Webhook attempts as {@code triggers_delivery_attempts_total{outcome}} and the time from ingest to
 * delivery as the histogram {@code triggers_delivery_latency_seconds}. Every meter is built once,
 * so an attempt costs a counter increment and a bucket lookup. Thread-safe.
 */
public final class MicrometerDeliveryMetrics implements DeliveryMetrics {

  static final String ATTEMPTS = "triggers.delivery.attempts";
  static final String LATENCY = "triggers.delivery.latency";

  /**
   * Fixed buckets from the quick first attempt to the last retries hours later: few, so a scrape
   * stays small, and the same on every node, so histograms add up across nodes.
   */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(30),
    Duration.ofHours(2),
    Duration.ofHours(8)
  };

  /** Longer than any retry schedule; beyond it every latency is simply "too long". */
  private static final Duration LONGEST = Duration.ofDays(365);

  private final Counter delivered;
  private final Counter retrying;
  private final Counter failed;
  private final Counter held;
  private final Counter abandoned;
  private final Timer latency;

  /** Registers the attempt counters and the delivery latency timer on {@code registry}. */
  public MicrometerDeliveryMetrics(MeterRegistry registry) {
    this.delivered = attempts(registry, "delivered");
    this.retrying = attempts(registry, "retrying");
    this.failed = attempts(registry, "failed");
    this.held = attempts(registry, "held");
    this.abandoned = attempts(registry, "abandoned");
    this.latency =
        Timer.builder(LATENCY)
            .description("time from an event's ingest to its delivery, retries included")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
  }

  private static Counter attempts(MeterRegistry registry, String outcome) {
    return Counter.builder(ATTEMPTS)
        .description(
            "webhook attempts recorded, by outcome: delivered, retrying (another follows), failed"
                + " (none follows), held (the endpoint is paused or disabled) or abandoned (the"
                + " endpoint was deleted)")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public void attempted(AttemptResult result) {
    Counter counter =
        switch (result) {
          case AttemptResult.Delivered ignored -> delivered;
          case AttemptResult.Retrying ignored -> retrying;
          case AttemptResult.Failed ignored -> failed;
          case AttemptResult.Held ignored -> held;
          case AttemptResult.Abandoned ignored -> abandoned;
        };
    counter.increment();
  }

  @Override
  public void delivered(Duration sinceIngest) {
    // A clock stepped back between ingest and delivery counts as instant, and a latency beyond the
    // last bucket lands there whatever it is, without overflowing a count of nanoseconds.
    Duration bounded = sinceIngest.isNegative() ? Duration.ZERO : sinceIngest;
    latency.record(bounded.compareTo(LONGEST) > 0 ? LONGEST : bounded);
  }
}

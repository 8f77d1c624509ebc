package io.triggers.core.memory;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.port.out.DeliveryMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts attempts by how they ended and deliveries with their total latency, in this process's
 * memory: for embedders without a metrics library, and for tests that check what was reported.
 * Thread-safe.
 */
public final class InMemoryDeliveryMetrics implements DeliveryMetrics {

  /** Starts with every count at zero. */
  public InMemoryDeliveryMetrics() {}

  private final Map<Class<? extends AttemptResult>, LongAdder> attempts =
      Map.of(
          AttemptResult.Delivered.class, new LongAdder(),
          AttemptResult.Retrying.class, new LongAdder(),
          AttemptResult.Failed.class, new LongAdder(),
          AttemptResult.Held.class, new LongAdder(),
          AttemptResult.Abandoned.class, new LongAdder());
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();

  @Override
  public void attempted(AttemptResult result) {
    attempts.get(result.getClass()).increment();
  }

  @Override
  public void delivered(Duration sinceIngest) {
    deliveries.increment();
    latencyNanos.add(Math.max(0, saturatedNanos(sinceIngest)));
  }

  /** How many recorded attempts ended as {@code kind}. */
  public long attempts(Class<? extends AttemptResult> kind) {
    LongAdder count = attempts.get(kind);
    return count == null ? 0 : count.sum();
  }

  /** How many deliveries were reported with their latency. */
  public long deliveries() {
    return deliveries.sum();
  }

  /** The latencies of all reported deliveries added up; negative ones count as zero. */
  public Duration totalLatency() {
    return Duration.ofNanos(latencyNanos.sum());
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }
}

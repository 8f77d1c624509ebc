package io.triggers.core.port.out;

import io.triggers.core.model.AttemptResult;
import java.time.Duration;

/**
 * Where the webhook delivery reports how its attempts end, for an operator's metrics. Called once
 * per recorded attempt, from many threads at once: implementations are thread-safe, take no locks a
 * caller could wait on, and never throw.
 */
public interface DeliveryMetrics {

  /** An attempt ended with {@code result}, and the result was recorded. */
  void attempted(AttemptResult result);

  /**
   * An event reached its webhook {@code sinceIngest} after it was ingested: from the event's
   * creation to the receiver's answer, retries included.
   */
  void delivered(Duration sinceIngest);
}

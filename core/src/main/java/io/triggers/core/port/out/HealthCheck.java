package io.triggers.core.port.out;

import io.triggers.core.model.Health;

/** One dependency's readiness probe; cheap, bounded in time, never throws. */
public interface HealthCheck {

  /** A short name for the readiness report, such as {@code postgres}. */
  String name();

  Health check();
}

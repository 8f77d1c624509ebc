package io.triggers.core.port.out;

import io.triggers.core.model.Health;

/** One dependency's readiness probe; cheap, bounded in time, never throws. */
public interface HealthCheck {

  /** A short name for the readiness report, such as {@code postgres}. */
  String name();

  /** The dependency's health now. */
  Health check();

  /**
   * Whether this process can still bring the dependency back by itself; false once only a restart
   * of the whole process can, which fails liveness. Cheap and never blocks: liveness asks it on the
   * thread that reads requests.
   */
  default boolean live() {
    return true;
  }
}

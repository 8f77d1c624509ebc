package io.triggers.core.port.in;

import io.triggers.core.model.Health;
import java.util.Map;

/**
 * Tells whether this node can serve (every dependency up, or at worst degraded), and whether it
 * should keep running at all.
 */
public interface CheckReadiness {

  Readiness check();

  /**
   * Liveness: false once some dependency cannot be healed without restarting the process, so that a
   * supervisor restarts it. Cheap and never blocks.
   */
  boolean live();

  /** The verdict and each dependency's report, by name. */
  record Readiness(boolean ready, Map<String, Health> checks) {
    public Readiness {
      checks = Map.copyOf(checks);
    }
  }
}

package io.triggers.core.port.in;

import io.triggers.core.model.Health;
import java.util.Map;

/**
 * Tells whether this node can serve (every dependency up, or at worst degraded), and whether it
 * should keep running at all.
 */
public interface CheckReadiness {

  /** Asks every health check and reports whether all of them can serve. */
  Readiness check();

  /**
   * Liveness: false once some dependency cannot be healed without restarting the process, so that a
   * supervisor restarts it. Cheap and never blocks.
   */
  boolean live();

  /** The verdict and each dependency's report, by name. */
  record Readiness(boolean ready, Map<String, Health> checks) {
    /** Keeps an unmodifiable copy of the checks' answers. */
    public Readiness {
      checks = Map.copyOf(checks);
    }
  }
}

package io.triggers.core.port.in;

import io.triggers.core.model.Health;
import java.util.Map;

/** Tells whether this node can serve: every dependency up, or at worst degraded. */
public interface CheckReadiness {

  Readiness check();

  /** The verdict and each dependency's report, by name. */
  record Readiness(boolean ready, Map<String, Health> checks) {
    public Readiness {
      checks = Map.copyOf(checks);
    }
  }
}

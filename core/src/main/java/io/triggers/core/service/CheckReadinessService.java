package io.triggers.core.service;

import io.triggers.core.model.Health;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.out.HealthCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ready unless some dependency is down; a degraded one (served by a fallback) still counts. Live
 * unless some dependency says only a restart of the process can bring it back.
 */
public final class CheckReadinessService implements CheckReadiness {

  private final List<HealthCheck> checks;

  /** Creates the use case over the given health checks. */
  public CheckReadinessService(List<HealthCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  @Override
  public Readiness check() {
    Map<String, Health> reports = new LinkedHashMap<>();
    for (HealthCheck check : checks) {
      reports.put(check.name(), check.check());
    }
    boolean ready =
        reports.values().stream().noneMatch(health -> health.status() == Health.Status.DOWN);
    return new Readiness(ready, reports);
  }

  @Override
  public boolean live() {
    for (HealthCheck check : checks) {
      if (!check.live()) {
        return false;
      }
    }
    return true;
  }
}

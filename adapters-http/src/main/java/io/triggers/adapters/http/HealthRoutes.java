package io.triggers.adapters.http;

import io.triggers.core.model.Health;
import io.triggers.core.port.in.CheckReadiness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The routes of liveness and readiness. */
final class HealthRoutes {

  private static final LivenessJson OK = new LivenessJson("ok");
  private static final LivenessJson FAILING = new LivenessJson("failing");

  private final CheckReadiness checkReadiness;

  HealthRoutes(CheckReadiness checkReadiness) {
    this.checkReadiness = checkReadiness;
  }

  List<Route> routes() {
    return List.of(
        Route.of("GET", "/health", Route.Access.ANYONE, this::live).onIoThread(),
        Route.of("GET", "/health/ready", Route.Access.ANYONE, this::ready));
  }

  /** 503 once the process needs restarting, so that a supervisor restarts it. */
  Reply live(Call call) {
    return checkReadiness.live() ? Reply.json(200, OK) : Reply.json(503, FAILING);
  }

  Reply ready(Call call) {
    return reply(checkReadiness.check());
  }

  static Reply reply(CheckReadiness.Readiness readiness) {
    Map<String, CheckJson> checks = new LinkedHashMap<>();
    readiness
        .checks()
        .forEach(
            (name, health) ->
                checks.put(
                    name,
                    new CheckJson(
                        health.status().name().toLowerCase(Locale.ROOT), health.detail())));
    return readiness.ready()
        ? Reply.json(200, new ReadinessJson("ready", checks))
        : Reply.json(503, new ReadinessJson("unavailable", checks));
  }

  record LivenessJson(String status) {}

  record ReadinessJson(String status, Map<String, CheckJson> checks) {}

  /** One dependency's report; {@link Health.Status} in lower case. */
  record CheckJson(String status, String detail) {}
}

package io.triggers.adapters.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} by method, route template and status, a
 * histogram with fixed buckets. Tag values come from fixed sets (templates, not paths), so clients
 * cannot explode the series count. Each timer is built on the first request that needs it and then
 * found by array index, so recording allocates nothing.
 */
final class RequestMetrics {

  static final String NAME = "http.server.requests";

  /** Few and fixed, so a scrape stays small and histograms add up across nodes. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2_500),
    Duration.ofSeconds(10)
  };

  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER");
  private static final int OTHER_METHOD = METHODS.size() - 1;
  private static final int FIRST_STATUS = 100;
  private static final int STATUSES = 500;

  private final MeterRegistry registry;

  /** By route template, then method index, then status minus 100 (or last, for no such status). */
  private final ConcurrentMap<String, Timer[][]> timers = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String method, String route, int status, long nanos) {
    Timer[][] byMethod = timers.get(route);
    if (byMethod == null) {
      byMethod = timers.computeIfAbsent(route, unused -> new Timer[METHODS.size()][]);
    }
    int methodIndex = methodIndex(method);
    Timer[] byStatus = byMethod[methodIndex];
    if (byStatus == null) {
      // A race builds a second array at worst; the registry hands both the same timers.
      byStatus = new Timer[STATUSES + 1];
      byMethod[methodIndex] = byStatus;
    }
    boolean known = status >= FIRST_STATUS && status < FIRST_STATUS + STATUSES;
    int statusIndex = known ? status - FIRST_STATUS : STATUSES;
    Timer timer = byStatus[statusIndex];
    if (timer == null) {
      timer = register(METHODS.get(methodIndex), route, known ? Integer.toString(status) : "other");
      byStatus[statusIndex] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static int methodIndex(String method) {
    return switch (method) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "PATCH" -> 4;
      case "DELETE" -> 5;
      case "OPTIONS" -> 6;
      default -> OTHER_METHOD;
    };
  }

  private Timer register(String method, String route, String status) {
    return Timer.builder(NAME)
        .description("HTTP requests served, by route and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", status)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}

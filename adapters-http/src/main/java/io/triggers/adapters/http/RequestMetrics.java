package io.triggers.adapters.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} by method, route template and status. Tag
 * values come from fixed sets (templates, not paths), so clients cannot explode the series count.
 */
final class RequestMetrics {

  static final String NAME = "http.server.requests";

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final MeterRegistry registry;
  private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String method, String route, int status, long nanos) {
    String knownMethod = KNOWN_METHODS.contains(method) ? method : "OTHER";
    timers
        .computeIfAbsent(new Key(knownMethod, route, status), this::register)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer register(Key key) {
    return Timer.builder(NAME)
        .description("HTTP requests served, by route and status")
        .tag("method", key.method())
        .tag("route", key.route())
        .tag("status", Integer.toString(key.status()))
        .register(registry);
  }

  private record Key(String method, String route, int status) {}
}

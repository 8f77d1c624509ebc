package io.triggers.adapters.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Prometheus scrape, {@code GET /metrics}; when a token is configured, only for a request that
 * carries it as a bearer token. The token is compared by digest, in constant time, so neither its
 * content nor its length leaks through timing.
 */
final class MetricsRoutes {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final String BEARER = "bearer ";

  private final Supplier<String> prometheusText;
  private final Optional<byte[]> tokenDigest;

  MetricsRoutes(Supplier<String> prometheusText, Optional<String> token) {
    this.prometheusText = prometheusText;
    this.tokenDigest = token.map(Authentication::sha256);
  }

  List<Route> routes() {
    return List.of(Route.of("GET", "/metrics", Route.Access.ANYONE, this::metrics));
  }

  Reply metrics(Call call) {
    if (!admits(call.header("Authorization"))) {
      return ErrorResponses.unauthorized("the metrics token is missing or wrong");
    }
    return Reply.raw(200, PROMETHEUS_TEXT, prometheusText.get().getBytes(StandardCharsets.UTF_8));
  }

  private boolean admits(Optional<String> authorization) {
    if (tokenDigest.isEmpty()) {
      return true;
    }
    return authorization
        .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .map(value -> Authentication.sha256(value.substring(BEARER.length()).strip()))
        .filter(presented -> MessageDigest.isEqual(presented, tokenDigest.get()))
        .isPresent();
  }
}

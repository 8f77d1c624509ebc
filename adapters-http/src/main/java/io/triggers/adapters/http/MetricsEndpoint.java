package io.triggers.adapters.http;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where {@code GET /metrics} is served and who may read it. Without {@code port} it is served on
 * the API's own listener; with it, on a listener of its own on that port (0 picks a free one),
 * serving nothing else, while the API's listener answers 404 for it. Without {@code token} anyone
 * who can reach it may scrape; with it, only a request carrying {@code Authorization: Bearer
 * <token>}.
 */
public record MetricsEndpoint(OptionalInt port, Optional<String> token) {

  public MetricsEndpoint {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(token, "token");
    if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65_535)) {
      throw new IllegalArgumentException("the metrics port must be between 0 and 65535");
    }
    if (token.isPresent() && token.get().isBlank()) {
      throw new IllegalArgumentException("a metrics token must not be blank");
    }
  }

  /** On the API's port, open to anyone who can reach it. */
  public static MetricsEndpoint onApiPort() {
    return new MetricsEndpoint(OptionalInt.empty(), Optional.empty());
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "MetricsEndpoint[port="
        + (port.isPresent() ? Integer.toString(port.getAsInt()) : "the API's")
        + ", token="
        + (token.isPresent() ? "set" : "unset")
        + "]";
  }
}

package io.triggers.adapters.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP API listens and what it admits: port 0 binds any free port, request bodies larger
 * than {@code maxBodyBytes} are refused while being read, and when {@code adminToken} is present
 * key generation requires it in {@code X-Admin-Token}.
 */
public record HttpSettings(String host, int port, long maxBodyBytes, Optional<String> adminToken) {

  /** The largest body limit that still fits the array the body is buffered in. */
  public static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 8;

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(adminToken, "adminToken");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
      throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + MAX_BODY_LIMIT);
    }
    if (adminToken.isPresent() && adminToken.get().isEmpty()) {
      throw new IllegalArgumentException("an admin token must not be empty");
    }
  }

  /** Never prints the admin token. */
  @Override
  public String toString() {
    return "HttpSettings[host="
        + host
        + ", port="
        + port
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", adminToken="
        + (adminToken.isPresent() ? "set" : "unset")
        + "]";
  }
}

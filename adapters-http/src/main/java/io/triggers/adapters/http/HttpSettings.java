package io.triggers.adapters.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP API listens and what it admits: port 0 binds any free port, request bodies larger
 * than {@code maxBodyBytes} are refused while being read, all bodies being read or handled at once
 * hold at most {@code maxBodyMemoryBytes} (beyond that a request gets 503), a body must have
 * arrived within {@code bodyReadTimeout} of its request's headers (or gets 408), and when {@code
 * adminToken} is present key generation requires it in {@code X-Admin-Token}. With {@code
 * accessLog} every request leaves one line at the {@code io.triggers.access} logger.
 */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    Optional<String> adminToken,
    long maxBodyMemoryBytes,
    Duration bodyReadTimeout,
    boolean accessLog) {

  /** The largest body limit that still fits the array the body is buffered in. */
  public static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 8;

  /** The memory all request bodies together may hold unless configured otherwise: 64 MiB. */
  public static final long DEFAULT_MAX_BODY_MEMORY_BYTES = 64L * 1024 * 1024;

  /** How long a request's body may take to arrive unless configured otherwise. */
  public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(30);

  /** Settings without an access log. */
  public HttpSettings(
      String host,
      int port,
      long maxBodyBytes,
      Optional<String> adminToken,
      long maxBodyMemoryBytes,
      Duration bodyReadTimeout) {
    this(host, port, maxBodyBytes, adminToken, maxBodyMemoryBytes, bodyReadTimeout, false);
  }

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
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
    if (maxBodyMemoryBytes < maxBodyBytes) {
      throw new IllegalArgumentException(
          "maxBodyMemoryBytes must be at least maxBodyBytes, or the largest body could never be read");
    }
    if (bodyReadTimeout.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("bodyReadTimeout must be at least a millisecond");
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
        + ", maxBodyMemoryBytes="
        + maxBodyMemoryBytes
        + ", bodyReadTimeout="
        + bodyReadTimeout
        + ", accessLog="
        + accessLog
        + "]";
  }
}

package io.triggers.bootstrap.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's configuration, parsed and checked. {@code maxBodyMemoryBytes} is what all request
 * bodies being read or handled may hold together, and {@code bodyReadTimeout} how long a body may
 * take to arrive after its request's headers; {@code logs} says how the server logs.
 */
public record Settings(
    String host,
    int port,
    Optional<String> databaseUrl,
    Optional<String> redisUrl,
    Path dataDir,
    Optional<String> adminToken,
    long maxBodyBytes,
    Duration retention,
    boolean webhookAllowPrivate,
    long maxBodyMemoryBytes,
    Duration bodyReadTimeout,
    LogSettings logs) {

  public Settings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
    Objects.requireNonNull(logs, "logs");
    if (port < 0 || port > 65_535) {
      throw new ConfigurationException(Option.PORT.flag() + " must be between 0 and 65535");
    }
    if (maxBodyBytes < 1_024) {
      throw new ConfigurationException(Option.MAX_BODY_BYTES.flag() + " must be at least 1024");
    }
    if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ConfigurationException(Option.RETENTION.flag() + " must be at least 1m");
    }
    if (maxBodyMemoryBytes < maxBodyBytes) {
      throw new ConfigurationException(
          Option.MAX_BODY_MEMORY.flag()
              + " must be at least "
              + Option.MAX_BODY_BYTES.flag()
              + ", or the largest body could never be read");
    }
    if (bodyReadTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigurationException(Option.BODY_READ_TIMEOUT.flag() + " must be at least 1s");
    }
  }
}

package io.triggers.bootstrap.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The server's configuration, parsed and checked. */
public record Settings(
    String host,
    int port,
    Optional<String> databaseUrl,
    Optional<String> redisUrl,
    Path dataDir,
    Optional<String> adminToken,
    long maxBodyBytes,
    Duration retention,
    boolean webhookAllowPrivate) {

  public Settings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(retention, "retention");
    if (port < 0 || port > 65_535) {
      throw new ConfigurationException(Option.PORT.flag() + " must be between 0 and 65535");
    }
    if (maxBodyBytes < 1_024) {
      throw new ConfigurationException(Option.MAX_BODY_BYTES.flag() + " must be at least 1024");
    }
    if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ConfigurationException(Option.RETENTION.flag() + " must be at least 1m");
    }
  }
}

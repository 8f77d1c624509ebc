package io.triggers.bootstrap.config;

import io.triggers.adapters.postgres.PostgresSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's configuration, parsed and checked. {@code maxBodyMemoryBytes} is what all request
 * bodies being read or handled may hold together, and {@code bodyReadTimeout} how long a body may
 * take to arrive after its request's headers. {@code databasePoolSize} bounds the connections to
 * PostgreSQL, the two delivery concurrencies the webhook requests in flight (in all and per
 * organization), and {@code webhookTimeout} how long a receiver has to answer. {@code metricsPort},
 * when present, moves {@code /metrics} to a listener of its own; {@code metricsToken}, when
 * present, is required to read it. {@code logs} says how the server logs. The admin token, the
 * metrics token and the URLs, which may hold passwords, never appear in {@link #toString}.
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
    int databasePoolSize,
    int deliveryConcurrency,
    int deliveryConcurrencyPerOrganization,
    Duration webhookTimeout,
    OptionalInt metricsPort,
    Optional<String> metricsToken,
    int inboxMaxLeases,
    Duration endpointDisableAfter,
    int endpointBackoffAfter,
    LogSettings logs) {

  /** More connections per node would cost PostgreSQL far more than the node could gain. */
  static final int MAX_DATABASE_POOL_SIZE = 1_000;

  /**
   * Attempts in flight on one node; the webhook sender keeps more connections than this, so that a
   * send never waits for one.
   */
  static final int MAX_DELIVERY_CONCURRENCY = 1_024;

  /**
   * Stopping waits for the webhook requests in flight, and supervisors seldom wait much longer than
   * this before they kill a process.
   */
  static final Duration MAX_WEBHOOK_TIMEOUT = Duration.ofSeconds(60);

  /** An endpoint failing for longer than this has long been given up by its owner. */
  static final Duration MAX_ENDPOINT_DISABLE_AFTER = Duration.ofDays(365);

  /** Failures in a row beyond this tell nothing more about an endpoint than this many do. */
  static final int MAX_ENDPOINT_BACKOFF_AFTER = 1_000;

  /** An event leased this often without an ack is poison; more leases only delay the verdict. */
  static final int MAX_INBOX_MAX_LEASES = 1_000;

  public Settings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
    Objects.requireNonNull(metricsPort, "metricsPort");
    Objects.requireNonNull(metricsToken, "metricsToken");
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
    Objects.requireNonNull(webhookTimeout, "webhookTimeout");
    if (databasePoolSize < PostgresSettings.MIN_POOL_SIZE
        || databasePoolSize > MAX_DATABASE_POOL_SIZE) {
      throw new ConfigurationException(
          Option.DATABASE_POOL_SIZE.flag()
              + " must be between "
              + PostgresSettings.MIN_POOL_SIZE
              + " and "
              + MAX_DATABASE_POOL_SIZE
              + ", not "
              + databasePoolSize);
    }
    if (deliveryConcurrency < 1 || deliveryConcurrency > MAX_DELIVERY_CONCURRENCY) {
      throw new ConfigurationException(
          Option.DELIVERY_CONCURRENCY.flag()
              + " must be between 1 and "
              + MAX_DELIVERY_CONCURRENCY
              + ", not "
              + deliveryConcurrency);
    }
    if (deliveryConcurrencyPerOrganization < 1
        || deliveryConcurrencyPerOrganization > deliveryConcurrency) {
      throw new ConfigurationException(
          Option.DELIVERY_CONCURRENCY_PER_ORG.flag()
              + " must be between 1 and "
              + Option.DELIVERY_CONCURRENCY.flag()
              + " ("
              + deliveryConcurrency
              + "), not "
              + deliveryConcurrencyPerOrganization);
    }
    if (webhookTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || webhookTimeout.compareTo(MAX_WEBHOOK_TIMEOUT) > 0) {
      throw new ConfigurationException(
          Option.WEBHOOK_TIMEOUT.flag()
              + " must be between 1s and "
              + MAX_WEBHOOK_TIMEOUT.toSeconds()
              + "s");
    }
    if (inboxMaxLeases < 1 || inboxMaxLeases > MAX_INBOX_MAX_LEASES) {
      throw new ConfigurationException(
          Option.INBOX_MAX_LEASES.flag()
              + " must be between 1 and "
              + MAX_INBOX_MAX_LEASES
              + ", not "
              + inboxMaxLeases);
    }
    Objects.requireNonNull(endpointDisableAfter, "endpointDisableAfter");
    if (endpointDisableAfter.compareTo(Duration.ofSeconds(1)) < 0
        || endpointDisableAfter.compareTo(MAX_ENDPOINT_DISABLE_AFTER) > 0) {
      throw new ConfigurationException(
          Option.ENDPOINT_DISABLE_AFTER.flag()
              + " must be between 1s and "
              + MAX_ENDPOINT_DISABLE_AFTER.toDays()
              + "d, not "
              + endpointDisableAfter);
    }
    if (endpointBackoffAfter < 0 || endpointBackoffAfter > MAX_ENDPOINT_BACKOFF_AFTER) {
      throw new ConfigurationException(
          Option.ENDPOINT_BACKOFF_AFTER.flag()
              + " must be between 0 (never back off) and "
              + MAX_ENDPOINT_BACKOFF_AFTER
              + ", not "
              + endpointBackoffAfter);
    }
    if (metricsPort.isPresent()
        && (metricsPort.getAsInt() < 0 || metricsPort.getAsInt() > 65_535)) {
      throw new ConfigurationException(Option.METRICS_PORT.flag() + " must be between 0 and 65535");
    }
    if (metricsPort.isPresent() && metricsPort.getAsInt() != 0 && metricsPort.getAsInt() == port) {
      throw new ConfigurationException(
          Option.METRICS_PORT.flag() + " must differ from " + Option.PORT.flag());
    }
  }

  /** Every setting but the secrets, which show only whether they are set. */
  @Override
  public String toString() {
    return "Settings[host="
        + host
        + ", port="
        + port
        + ", databaseUrl="
        + setOrUnset(databaseUrl)
        + ", redisUrl="
        + setOrUnset(redisUrl)
        + ", dataDir="
        + dataDir
        + ", adminToken="
        + setOrUnset(adminToken)
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", retention="
        + retention
        + ", webhookAllowPrivate="
        + webhookAllowPrivate
        + ", maxBodyMemoryBytes="
        + maxBodyMemoryBytes
        + ", bodyReadTimeout="
        + bodyReadTimeout
        + ", databasePoolSize="
        + databasePoolSize
        + ", deliveryConcurrency="
        + deliveryConcurrency
        + ", deliveryConcurrencyPerOrganization="
        + deliveryConcurrencyPerOrganization
        + ", webhookTimeout="
        + webhookTimeout
        + ", metricsPort="
        + metricsPort
        + ", metricsToken="
        + setOrUnset(metricsToken)
        + ", inboxMaxLeases="
        + inboxMaxLeases
        + ", endpointDisableAfter="
        + endpointDisableAfter
        + ", endpointBackoffAfter="
        + endpointBackoffAfter
        + ", logs="
        + logs
        + "]";
  }

  private static String setOrUnset(Optional<String> secret) {
    return secret.isPresent() ? "set" : "unset";
  }
}

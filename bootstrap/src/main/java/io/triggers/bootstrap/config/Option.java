package io.triggers.bootstrap.config;

import io.triggers.adapters.http.webhook.HttpWebhookSender;
import io.triggers.adapters.postgres.PostgresSettings;
import io.triggers.core.delivery.DeliveryLimits;
import io.triggers.core.delivery.EndpointBackoff;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.InboxState;
import java.util.Locale;

/** Every setting of the server, with its environment variable, command-line flag and default. */
public enum Option {
  PORT("8080", "HTTP port to listen on"),
  HOST("0.0.0.0", "address to bind"),
  DATABASE_URL("", "PostgreSQL URL, JDBC or postgres://user:pass@host:port/db (unset: embedded)"),
  REDIS_URL("", "Redis URL redis://host:port (unset: in-process limits, dedup and queue)"),
  DATA_DIR("./data", "directory of the embedded database"),
  ADMIN_TOKEN("", "token required in X-Admin-Token to generate keys (unset: open)"),
  MAX_BODY_BYTES("262144", "largest request body accepted, in bytes"),
  RETENTION("7d", "how long events (and their dedup ids) are kept: 90s, 30m, 12h, 7d"),
  WEBHOOK_ALLOW_PRIVATE(
      "false",
      "allow webhooks to non-public addresses (private, loopback, link-local and the like)"),
  MAX_BODY_MEMORY(
      "67108864", "memory all request bodies being read may hold together, in bytes (then 503)"),
  BODY_READ_TIMEOUT(
      "30s", "how long a request body may take to arrive after its headers (then 408)"),

  // Secrets read from files, and the pool, delivery and webhook settings.
  ADMIN_TOKEN_FILE("", "file holding the admin token, instead of --admin-token"),
  DATABASE_URL_FILE("", "file holding the database URL, instead of --database-url"),
  REDIS_URL_FILE("", "file holding the Redis URL, instead of --redis-url"),
  DATABASE_POOL_SIZE(
      Integer.toString(PostgresSettings.DEFAULT_MAX_POOL_SIZE),
      "connections to PostgreSQL this node opens at most ("
          + PostgresSettings.MIN_POOL_SIZE
          + " to "
          + Settings.MAX_DATABASE_POOL_SIZE
          + ")"),
  DELIVERY_CONCURRENCY(
      Integer.toString(DeliveryLimits.standard().overall()),
      "webhook requests this node makes at once, in all (1 to "
          + Settings.MAX_DELIVERY_CONCURRENCY
          + ")"),
  DELIVERY_CONCURRENCY_PER_ORG(
      Integer.toString(DeliveryLimits.standard().perOrganization()),
      "webhook requests this node makes at once for one organization (at most the overall)"),
  WEBHOOK_TIMEOUT(
      HttpWebhookSender.DEFAULT_TIMEOUT.toSeconds() + "s",
      "how long a webhook receiver has to answer, connecting included (1s to "
          + Settings.MAX_WEBHOOK_TIMEOUT.toSeconds()
          + "s)"),

  ENDPOINT_DISABLE_AFTER(
      "5d",
      "how long every attempt to a webhook endpoint must fail, at least "
          + FailureStreak.MIN_ATTEMPTS_TO_DISABLE
          + " times, before it is disabled (1s to "
          + Settings.MAX_ENDPOINT_DISABLE_AFTER.toDays()
          + "d)"),
  ENDPOINT_BACKOFF_AFTER(
      Integer.toString(EndpointBackoff.standard().afterFailures()),
      "failed attempts in a row after which a node leaves a webhook endpoint alone for a while"
          + " (5s, doubling up to 1m; 0 never, up to "
          + Settings.MAX_ENDPOINT_BACKOFF_AFTER
          + ")"),

  // Pull consumers.
  INBOX_MAX_LEASES(
      Integer.toString(InboxState.DEFAULT_MAX_LEASES),
      "leases an inbox event gets without an ack before it is dead (1 to "
          + Settings.MAX_INBOX_MAX_LEASES
          + ")"),

  // Where /metrics is served, and who may read it.
  METRICS_PORT("", "port of a listener serving only /metrics (unset: /metrics on the HTTP port)"),
  METRICS_TOKEN("", "bearer token required to read /metrics (unset: open)"),
  METRICS_TOKEN_FILE("", "file holding the metrics token, instead of --metrics-token"),

  // Logs.
  LOG_LEVEL("info", "least severe level logged: trace, debug, info, warn, error or off"),
  LOG_FORMAT("text", "text, or json for one JSON object per line"),
  ACCESS_LOG("false", "log one line per request at the io.triggers.access logger");

  private final String defaultValue;
  private final String description;

  Option(String defaultValue, String description) {
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The environment variable, such as {@code TRIGGERS_PORT}. */
  public String environmentVariable() {
    return "TRIGGERS_" + name();
  }

  /** The command-line flag, such as {@code --port}. */
  public String flag() {
    return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The value used when neither the flag nor the variable is given; empty means unset. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}

package io.triggers.bootstrap;

import io.triggers.adapters.http.HttpServer;
import io.triggers.bootstrap.config.Settings;
import io.triggers.bootstrap.wiring.Mode;
import io.triggers.bootstrap.wiring.Resources;
import io.triggers.core.delivery.WebhookDispatcher;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: starts webhook delivery, then the HTTP listener; on stop, stops accepting
 * first and lets in-flight requests finish, then lets webhook attempts in flight finish, then
 * closes the stores in reverse order of opening.
 */
public final class TriggersApplication {

  private static final Logger LOG = LoggerFactory.getLogger(TriggersApplication.class);
  private static final Duration GRACE = Duration.ofSeconds(20);

  /**
   * What stopping adds to the webhook timeout, so an attempt in flight is finished, not cut off.
   */
  private static final Duration DELIVERY_GRACE_MARGIN = Duration.ofSeconds(1);

  private final HttpServer http;
  private final WebhookDispatcher deliveries;
  private final Settings settings;
  private final Mode mode;
  private final Resources resources;
  private final RetentionJob retention;
  private final AtomicBoolean stopped = new AtomicBoolean();

  @Inject
  public TriggersApplication(
      HttpServer http,
      WebhookDispatcher deliveries,
      Settings settings,
      Mode mode,
      Resources resources,
      RetentionJob retention) {
    this.http = http;
    this.deliveries = deliveries;
    this.settings = settings;
    this.mode = mode;
    this.resources = resources;
    this.retention = retention;
  }

  public void start() {
    deliveries.start();
    retention.start();
    http.start();
    if (settings.adminToken().isEmpty()) {
      LOG.warn("TRIGGERS_ADMIN_TOKEN is unset: anyone who can reach the server can create keys");
    }
    LOG.info(
        "Triggers {} ready on port {}, mode {}, Java {}, {} ms after JVM start",
        version(),
        http.port(),
        mode.description(),
        Runtime.version().feature(),
        ManagementFactory.getRuntimeMXBean().getUptime());
    http.metricsPort().ifPresent(port -> LOG.info("Serving /metrics on port {} alone", port));
  }

  /** The bound HTTP port, useful when started on port 0. */
  public int port() {
    return http.port();
  }

  /** The port of the listener serving only {@code /metrics}, when one is configured. */
  public OptionalInt metricsPort() {
    return http.metricsPort();
  }

  /** Idempotent; safe to call from a shutdown hook. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Triggers stopping: draining in-flight requests");
    http.stop(GRACE);
    deliveries.stop(settings.webhookTimeout().plus(DELIVERY_GRACE_MARGIN));
    retention.close();
    resources.close();
    LOG.info("Triggers stopped");
  }

  private static String version() {
    String version = TriggersApplication.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}

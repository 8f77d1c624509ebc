package io.triggers.core.embed;

import io.triggers.core.delivery.DeliveryLimits;
import io.triggers.core.delivery.EndpointBackoff;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.InboxState;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.HostResolver;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.port.out.RateLimiter;
import io.triggers.core.port.out.Storage;
import io.triggers.core.port.out.WebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the driven ports a host supplies for {@link Triggers}; whatever it leaves out runs in
 * this process's memory with the sizes of {@link TriggersDefaults}. Not thread-safe; build once.
 */
public final class TriggersBuilder {

  // Unset (null) until the host supplies it; build() fills in the in-memory default.
  Clock clock = Clock.systemUTC();
  Duration retention = TriggersDefaults.RETENTION;
  Duration retentionPeriod = TriggersDefaults.RETENTION_PERIOD;
  boolean webhookAllowPrivate;
  int inboxMaxLeases = InboxState.DEFAULT_MAX_LEASES;
  Duration endpointDisableAfter = EndpointHealth.DEFAULT_DISABLE_AFTER;
  DeliveryLimits deliveryLimits = DeliveryLimits.standard();
  EndpointBackoff endpointBackoff = EndpointBackoff.standard();
  Storage storage;
  Organizations organizations;
  RateLimiter rateLimiter;
  Deduplicator deduplicator;
  DeliveryQueue deliveryQueue;
  OrganizationChanges organizationChanges;
  IdGenerator ids;
  HostResolver hostResolver;
  WebhookSender webhookSender;
  DeliveryMetrics deliveryMetrics;
  final List<HealthCheck> healthChecks = new ArrayList<>();
  final List<AutoCloseable> resources = new ArrayList<>();

  TriggersBuilder() {}

  /** The clock every use case and in-memory adapter reads; the system's UTC clock by default. */
  public TriggersBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The durable store of events, deliveries and organizations, such as PostgreSQL's; in memory by
   * default. Organizations read from it are cached, as the server does, and the cache is told of
   * changes through the {@link #organizationChanges} port.
   */
  public TriggersBuilder storage(Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
    return this;
  }

  /**
   * How many leases of an inbox event may run out or be released without an acknowledgement before
   * the event is dead; {@value InboxState#DEFAULT_MAX_LEASES} by default.
   */
  public TriggersBuilder inboxMaxLeases(int inboxMaxLeases) {
    this.inboxMaxLeases = InboxState.requireMaxLeases(inboxMaxLeases);
    return this;
  }

  /** Organizations, keys and webhooks from the host's own implementation, used as given. */
  public TriggersBuilder organizations(Organizations organizations) {
    this.organizations = Objects.requireNonNull(organizations, "organizations");
    return this;
  }

  /** The rate limiter; a per-process limiter by tier by default. */
  public TriggersBuilder rateLimiter(RateLimiter rateLimiter) {
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    return this;
  }

  /** The dedup short-cut; an in-memory cache of recent dedup ids by default. */
  public TriggersBuilder deduplicator(Deduplicator deduplicator) {
    this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
    return this;
  }

  /** The queue of webhook deliveries; an in-memory queue by default. */
  public TriggersBuilder deliveryQueue(DeliveryQueue deliveryQueue) {
    this.deliveryQueue = Objects.requireNonNull(deliveryQueue, "deliveryQueue");
    return this;
  }

  /** The news of changed keys and webhooks between nodes; this process alone by default. */
  public TriggersBuilder organizationChanges(OrganizationChanges organizationChanges) {
    this.organizationChanges = Objects.requireNonNull(organizationChanges, "organizationChanges");
    return this;
  }

  /** The source of ids and keys; a secure random generator by default. */
  public TriggersBuilder idGenerator(IdGenerator ids) {
    this.ids = Objects.requireNonNull(ids, "ids");
    return this;
  }

  /** How webhook hosts are resolved before they are called; the system's resolver by default. */
  public TriggersBuilder hostResolver(HostResolver hostResolver) {
    this.hostResolver = Objects.requireNonNull(hostResolver, "hostResolver");
    return this;
  }

  /**
   * What sends webhook requests, such as the HTTP adapter's sender; without one {@link
   * Triggers#start} delivers no webhooks, and deliveries wait in the store until a node that has
   * one delivers them.
   */
  public TriggersBuilder webhookSender(WebhookSender webhookSender) {
    this.webhookSender = Objects.requireNonNull(webhookSender, "webhookSender");
    return this;
  }

  /** Where the outcome of each webhook attempt is counted; counted in memory by default. */
  public TriggersBuilder deliveryMetrics(DeliveryMetrics deliveryMetrics) {
    this.deliveryMetrics = Objects.requireNonNull(deliveryMetrics, "deliveryMetrics");
    return this;
  }

  /** Whether webhook addresses may be private or loopback ones; false by default. */
  public TriggersBuilder webhookAllowPrivate(boolean allow) {
    this.webhookAllowPrivate = allow;
    return this;
  }

  /**
   * How many webhook requests run at once, in all and per organization; the server's by default.
   */
  public TriggersBuilder deliveryLimits(DeliveryLimits limits) {
    this.deliveryLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * When delivery backs off from an endpoint whose attempts keep failing; {@link
   * EndpointBackoff#standard()} by default.
   */
  public TriggersBuilder endpointBackoff(EndpointBackoff backoff) {
    this.endpointBackoff = Objects.requireNonNull(backoff, "backoff");
    return this;
  }

  /**
   * How long events and their dedup ids are kept; {@link TriggersDefaults#RETENTION} by default.
   */
  public TriggersBuilder retention(Duration retention) {
    this.retention = positive(retention, "retention");
    return this;
  }

  /**
   * How long every attempt to an endpoint must have failed, at least {@value
   * FailureStreak#MIN_ATTEMPTS_TO_DISABLE} times, before it is disabled; {@link
   * EndpointHealth#DEFAULT_DISABLE_AFTER} by default.
   */
  public TriggersBuilder endpointDisableAfter(Duration disableAfter) {
    this.endpointDisableAfter = positive(disableAfter, "endpoint disable after");
    return this;
  }

  /** How often {@link Triggers#start started} retention deletes expired events; once a minute. */
  public TriggersBuilder retentionPeriod(Duration period) {
    this.retentionPeriod = positive(period, "retention period");
    return this;
  }

  /** Adds a check that {@link Triggers#checkReadiness} consults, beside the storage's own. */
  public TriggersBuilder healthCheck(HealthCheck check) {
    healthChecks.add(Objects.requireNonNull(check, "check"));
    return this;
  }

  /**
   * Hands a resource, such as the database the storage lives in, to {@link Triggers#close}, which
   * closes resources in the reverse order they were handed over, after stopping delivery.
   */
  public TriggersBuilder closeWith(AutoCloseable resource) {
    resources.add(Objects.requireNonNull(resource, "resource"));
    return this;
  }

  /**
   * Builds the use cases on the ports given and the in-memory defaults for the rest; nothing runs
   * in the background until {@link Triggers#start}.
   */
  public Triggers build() {
    return new Triggers(this);
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return duration;
  }
}

package io.triggers.core.service;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Exchange;
import io.triggers.core.model.FailureLogs;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.PreviousSecret;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryLedger.RecordedAndClaimed;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.port.out.WebhookMessage;
import io.triggers.core.port.out.WebhookSender;
import io.triggers.core.port.out.WebhookSender.SendResult;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One webhook attempt: claim it in the store under a lease (which reads the endpoint with it),
 * check the target again (DNS answers change), send, and record the result, scheduling the next
 * attempt by the {@link RetrySchedule}.
 *
 * <p>The lease must outlast a send, so that no other node claims the event while this one may still
 * be sending it; an attempt that could not start early enough in its lease is not sent. A {@code
 * 410 Gone} disables the endpoint (unless its address changed meanwhile) and holds the delivery; a
 * paused or disabled endpoint's delivery is held without an attempt. Every recorded attempt is
 * reported to the {@link DeliveryMetrics}, and to the {@link EndpointHealth}, which disables an
 * endpoint that keeps failing.
 *
 * <p>A failed send is logged as a warning per organization and webhook, the first in full and then
 * at most once a minute with how many failed meanwhile: the error and the webhook's origin only,
 * never the payload, the secret or the URL's path and query, which often carry a token of the
 * receiver's. Thread-safe.
 */
public final class DeliverWebhookService implements DeliverWebhook {

  static final String NO_ENDPOINT = "the endpoint was deleted";
  static final String GONE = "HTTP 410 Gone: the endpoint was disabled";
  static final String NOT_ENABLED = "the endpoint is not enabled";
  static final String LEASE_RAN_SHORT = "the attempt could not start in time; not sent";
  private static final int MAX_ERROR_LENGTH = 500;

  /** How often one endpoint's failures are logged at most. */
  static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

  /** Endpoints whose failures are counted at once; past it the one quiet longest is forgotten. */
  private static final int FAILURE_LOG_ENDPOINTS = 10_000;

  private final DeliveryLedger ledger;
  private final WebhookTargetRules rules;
  private final WebhookSender sender;
  private final RetrySchedule schedule;
  private final RandomGenerator random;
  private final Clock clock;
  private final Duration lease;
  private final DeliveryMetrics metrics;
  private final FailureLogs<Target> failures;
  private final EndpointHealth health;

  /**
   * {@code random} draws the jitter of each retry and is called from many threads; {@code lease}
   * must exceed the sender's timeout.
   */
  public DeliverWebhookService(
      DeliveryLedger ledger,
      WebhookTargetRules rules,
      WebhookSender sender,
      RetrySchedule schedule,
      RandomGenerator random,
      Clock clock,
      Duration lease,
      DeliveryMetrics metrics,
      EndpointHealth health) {
    this(
        ledger,
        rules,
        sender,
        schedule,
        random,
        clock,
        lease,
        metrics,
        health,
        System.getLogger(DeliverWebhookService.class.getName()),
        System::nanoTime);
  }

  /**
   * As the public constructor, logging failed sends to {@code logger} timed by {@code nanoTime}.
   */
  DeliverWebhookService(
      DeliveryLedger ledger,
      WebhookTargetRules rules,
      WebhookSender sender,
      RetrySchedule schedule,
      RandomGenerator random,
      Clock clock,
      Duration lease,
      DeliveryMetrics metrics,
      EndpointHealth health,
      Logger logger,
      LongSupplier nanoTime) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.health = Objects.requireNonNull(health, "health");
    if (lease.compareTo(sender.timeout()) <= 0) {
      throw new IllegalArgumentException("the lease must outlast the sender's timeout");
    }
    this.failures =
        new FailureLogs<>(
            logger,
            Level.WARNING,
            Target::describe,
            FAILURE_LOG_INTERVAL,
            nanoTime,
            FAILURE_LOG_ENDPOINTS);
  }

  @Override
  public Outcome deliver(OrganizationId organization, EventId id, EndpointId endpointId) {
    return deliver(organization, id, endpointId, Optional::empty).outcome();
  }

  @Override
  public Chained deliver(
      OrganizationId organization,
      EventId id,
      EndpointId endpointId,
      Supplier<Optional<EventId>> next) {
    Instant claimedAt = clock.instant();
    return ledger
        .claim(organization, id, endpointId, claimedAt, claimedAt.plus(lease))
        .map(claimed -> deliverClaimed(organization, new Claimed(endpointId, claimed), next))
        .orElseGet(() -> new Chained(new Outcome.Skipped(id), Optional.empty()));
  }

  @Override
  public Chained deliverClaimed(
      OrganizationId organization, Claimed claimed, Supplier<Optional<EventId>> next) {
    EndpointId endpointId = claimed.endpoint();
    StoredEvent stored = claimed.attempt().stored();
    Instant leaseUntil = stored.delivery().nextAttemptAt().orElseThrow();
    Optional<Endpoint> found = claimed.attempt().endpoint();
    Recording recording = new Recording(organization, endpointId, stored, next);
    if (found.isEmpty()) {
      return record(recording, new AttemptResult.Abandoned(NO_ENDPOINT));
    }
    Endpoint endpoint = found.get();
    if (!endpoint.isEnabled()) {
      return record(recording, new AttemptResult.Held(Optional.empty(), NOT_ENABLED));
    }
    Instant attemptedAt = clock.instant();
    SendResult sent = send(stored, endpoint, leaseUntil);
    Instant endedAt = clock.instant();
    Exchange exchange = sent.exchange(Duration.between(attemptedAt, endedAt));
    AttemptResult result =
        switch (sent) {
          case SendResult.Delivered delivered ->
              new AttemptResult.Delivered(attemptedAt, endedAt, exchange);
          case SendResult.Gone gone -> {
            failures.record(new Target(organization, endpoint.url()), GONE);
            health.gone(organization, endpoint, GONE);
            yield new AttemptResult.Held(Optional.of(attemptedAt), GONE, exchange);
          }
          case SendResult.Failed failed -> {
            String error = truncated(failed.error());
            failures.record(new Target(organization, endpoint.url()), error);
            yield retryOrFail(
                stored.delivery().attempts() + 1, attemptedAt, error, failed, exchange);
          }
        };
    Chained chained = record(recording, result);
    if (!(chained.outcome() instanceof Outcome.Skipped)) {
      health.attempted(organization, endpoint, result);
    }
    return chained;
  }

  private SendResult send(StoredEvent stored, Endpoint endpoint, Instant leaseUntil) {
    return switch (rules.check(endpoint.url().toString())) {
      case WebhookTargetRules.Verdict.Refused refused ->
          new SendResult.Failed(refused.reason(), Optional.empty());
      case WebhookTargetRules.Verdict.Allowed allowed -> {
        Instant now = clock.instant();
        // A send that could outlive the lease might overlap another node's claim of the event.
        if (now.plus(sender.timeout()).isAfter(leaseUntil)) {
          yield new SendResult.Failed(LEASE_RAN_SHORT, Optional.empty());
        }
        yield sender.send(
            new WebhookMessage(
                allowed.url(),
                endpoint.signingSecret(),
                endpoint
                    .previousSecret()
                    .filter(previous -> previous.signsAt(now))
                    .map(PreviousSecret::secret),
                stored.event(),
                now));
      }
    };
  }

  private AttemptResult retryOrFail(
      int attempt, Instant attemptedAt, String error, SendResult.Failed failed, Exchange exchange) {
    return schedule
        .delayAfter(attempt, random.nextDouble(), failed.retryAfter())
        .<AttemptResult>map(
            delay ->
                new AttemptResult.Retrying(
                    attemptedAt, error, clock.instant().plus(delay), exchange))
        .orElseGet(() -> new AttemptResult.Failed(attemptedAt, error, exchange));
  }

  /**
   * Records the attempt, claiming with it the next attempt to the endpoint if {@code next} names
   * one: asked only now, so that the next task waits for a slot no longer than this one held it.
   */
  private Chained record(Recording recording, AttemptResult result) {
    EventId id = recording.claimed().event().id();
    Delivery claimed = recording.claimed().delivery();
    EndpointId endpoint = recording.endpoint();
    Optional<EventId> next = recording.next().get();
    Instant now = clock.instant();
    RecordedAndClaimed written =
        next.isEmpty()
            ? new RecordedAndClaimed(
                ledger.record(recording.organization(), id, endpoint, claimed, result),
                Optional.empty())
            : ledger.recordAndClaim(
                recording.organization(),
                id,
                endpoint,
                claimed,
                result,
                next.get(),
                now,
                now.plus(lease));
    Optional<Claimed> nextClaimed = written.next().map(attempt -> new Claimed(endpoint, attempt));
    if (written.recorded().isEmpty()) {
      return new Chained(new Outcome.Skipped(id), nextClaimed);
    }
    metrics.attempted(result);
    if (result instanceof AttemptResult.Delivered delivered) {
      metrics.delivered(
          Duration.between(recording.claimed().event().createdAt(), delivered.deliveredAt()));
    }
    Outcome outcome = Outcome.of(id, written.recorded().get(), result);
    return new Chained(outcome, nextClaimed);
  }

  /** A claimed attempt about to be recorded, and who names the endpoint's next event. */
  private record Recording(
      OrganizationId organization,
      EndpointId endpoint,
      StoredEvent claimed,
      Supplier<Optional<EventId>> next) {}

  private static String truncated(String error) {
    return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
  }

  /** Where failed sends are counted: one organization's endpoint at one URL. */
  private record Target(OrganizationId organization, URI url) {

    String describe() {
      return "Webhook deliveries of organization " + organization + " to " + origin(url);
    }

    /** Scheme, host and port alone: a webhook's path or query may hold the receiver's token. */
    private static String origin(URI url) {
      String port = url.getPort() < 0 ? "" : ":" + url.getPort();
      return url.getScheme() + "://" + url.getHost() + port;
    }
  }
}

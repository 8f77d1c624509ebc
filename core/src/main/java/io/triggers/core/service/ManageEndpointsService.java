package io.triggers.core.service;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.ManageEndpoints;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.IdGenerator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps an organization's endpoints: checked URLs, new secrets, the limit, and the deliveries an
 * endpoint holds when it is enabled again or leaves behind when it is deleted.
 */
public final class ManageEndpointsService implements ManageEndpoints {

  /** Why the deliveries of a deleted endpoint failed. */
  public static final String DELETED = "endpoint deleted";

  private final Endpoints endpoints;
  private final DeliveryLedger ledger;
  private final WebhookTargetRules rules;
  private final IdGenerator ids;
  private final Clock clock;

  /** Keeps endpoints in {@code endpoints} and their deliveries in {@code ledger}. */
  public ManageEndpointsService(
      Endpoints endpoints,
      DeliveryLedger ledger,
      WebhookTargetRules rules,
      IdGenerator ids,
      Clock clock) {
    this.endpoints = endpoints;
    this.ledger = ledger;
    this.rules = rules;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public Created create(OrganizationId organization, NewEndpoint endpoint) {
    return switch (rules.check(endpoint.url())) {
      case WebhookTargetRules.Verdict.Refused refused -> new Created.Refused(refused.reason());
      case WebhookTargetRules.Verdict.Allowed allowed -> {
        Endpoint created =
            Endpoint.created(
                ids.newEndpointId(),
                allowed.url(),
                ids.newSigningSecret(),
                endpoint.eventTypes(),
                endpoint.description(),
                clock.instant());
        yield switch (endpoints.create(organization, created)) {
          case Endpoints.CreateResult.Created stored -> new Created.Stored(stored.endpoint());
          case Endpoints.CreateResult.LimitReached limit -> new Created.LimitReached(limit.limit());
        };
      }
    };
  }

  @Override
  public List<Endpoint> list(OrganizationId organization) {
    return endpoints.list(organization);
  }

  @Override
  public Optional<Endpoint> get(OrganizationId organization, EndpointId id) {
    return endpoints.find(organization, id);
  }

  @Override
  public Changed change(OrganizationId organization, EndpointId id, Changes changes) {
    Optional<Endpoint> found = endpoints.find(organization, id);
    if (found.isEmpty()) {
      return new Changed.NotFound();
    }
    Endpoint current = found.get();
    URI url = current.url();
    if (changes.url().isPresent()) {
      switch (rules.check(changes.url().get())) {
        case WebhookTargetRules.Verdict.Refused refused -> {
          return new Changed.Refused(refused.reason());
        }
        case WebhookTargetRules.Verdict.Allowed allowed -> url = allowed.url();
      }
    }
    Instant now = clock.instant();
    Endpoint changed =
        current.withSettings(
            url,
            changes.eventTypes().orElse(current.eventTypes()),
            changes.description().or(current::description),
            now);
    boolean enabling =
        changes.status().filter(s -> s == EndpointStatus.ENABLED).isPresent()
            && !current.isEnabled();
    if (changes.status().isPresent()) {
      changed = changed.withStatus(changes.status().get(), now);
    }
    if (!endpoints.replace(organization, changed)) {
      return new Changed.NotFound();
    }
    if (enabling || !url.equals(current.url())) {
      // The failures were of the endpoint before its owner's fix; not written by replace.
      endpoints.clearFailures(organization, id);
    }
    if (enabling) {
      // The sweep queues what this makes due, on whichever node finds it first.
      ledger.release(organization, id, now);
    }
    return new Changed.Updated(changed);
  }

  @Override
  public boolean delete(OrganizationId organization, EndpointId id) {
    if (!endpoints.delete(organization, id)) {
      return false;
    }
    ledger.endAll(organization, id, DELETED);
    return true;
  }

  @Override
  public Optional<Endpoint> rotateSecret(
      OrganizationId organization, EndpointId id, Duration grace) {
    if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      throw new InvalidValueException(
          "grace_seconds", "grace_seconds must be 0 to " + MAX_GRACE.toSeconds());
    }
    Optional<Endpoint> found = endpoints.find(organization, id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Endpoint rotated = found.get().withRotatedSecret(ids.newSigningSecret(), now, now.plus(grace));
    return endpoints.replace(organization, rotated) ? Optional.of(rotated) : Optional.empty();
  }
}

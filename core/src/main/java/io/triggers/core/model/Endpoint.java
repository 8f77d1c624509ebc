package io.triggers.core.model;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One of an organization's webhook endpoints: where its events are pushed, the secret they are
 * signed with, which event types it subscribes to (none listed: all of them), and whether it is
 * sent them now ({@link EndpointStatus}), and its current run of failed attempts, if any.
 */
public record Endpoint(
    EndpointId id,
    URI url,
    SigningSecret signingSecret,
    Optional<PreviousSecret> previousSecret,
    List<EventTypeFilter> eventTypes,
    Optional<String> description,
    EndpointStatus status,
    Instant createdAt,
    Instant updatedAt,
    Optional<FailureStreak> failures) {

  /** How many filters one endpoint may list. */
  public static final int MAX_EVENT_TYPES = 100;

  /** The longest description, in characters. */
  public static final int MAX_DESCRIPTION_LENGTH = 1_000;

  /** Refuses missing parts, too many filters and a description that breaks the text rules. */
  public Endpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(signingSecret, "signingSecret");
    Objects.requireNonNull(previousSecret, "previousSecret");
    eventTypes = List.copyOf(eventTypes);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(failures, "failures");
    if (eventTypes.size() > MAX_EVENT_TYPES) {
      throw new InvalidValueException(
          "event_types", "event_types may list at most " + MAX_EVENT_TYPES + " entries");
    }
    description.ifPresent(text -> Text.require("description", text, MAX_DESCRIPTION_LENGTH));
  }

  /** A new endpoint, enabled, with one secret, as created at {@code at}. */
  public static Endpoint created(
      EndpointId id,
      URI url,
      SigningSecret secret,
      List<EventTypeFilter> eventTypes,
      Optional<String> description,
      Instant at) {
    return new Endpoint(
        id,
        url,
        secret,
        Optional.empty(),
        eventTypes,
        description,
        EndpointStatus.ENABLED,
        at,
        at,
        Optional.empty());
  }

  /** Whether events of {@code type} are for this endpoint: it lists no filter, or one matches. */
  public boolean subscribesTo(EventType type) {
    return eventTypes.isEmpty() || eventTypes.stream().anyMatch(filter -> filter.matches(type));
  }

  /** Whether its deliveries are sent now rather than held. */
  public boolean isEnabled() {
    return status == EndpointStatus.ENABLED;
  }

  /**
   * This endpoint in {@code newStatus} from {@code at}; enabling it again forgets its failures, so
   * that its owner's fix gets a whole new period before it can be disabled again.
   */
  public Endpoint withStatus(EndpointStatus newStatus, Instant at) {
    boolean reenabled = newStatus == EndpointStatus.ENABLED && !isEnabled();
    return new Endpoint(
        id,
        url,
        signingSecret,
        previousSecret,
        eventTypes,
        description,
        newStatus,
        createdAt,
        at,
        reenabled ? Optional.empty() : failures);
  }

  /** This endpoint with {@code newFailures} as its run of failed attempts. */
  public Endpoint withFailures(Optional<FailureStreak> newFailures) {
    return new Endpoint(
        id,
        url,
        signingSecret,
        previousSecret,
        eventTypes,
        description,
        status,
        createdAt,
        updatedAt,
        newFailures);
  }

  /**
   * This endpoint with {@code newUrl}, {@code newEventTypes} and {@code newDescription}; a new
   * address forgets the failures of the old one.
   */
  public Endpoint withSettings(
      URI newUrl,
      List<EventTypeFilter> newEventTypes,
      Optional<String> newDescription,
      Instant at) {
    return new Endpoint(
        id,
        newUrl,
        signingSecret,
        previousSecret,
        newEventTypes,
        newDescription,
        status,
        createdAt,
        at,
        newUrl.equals(url) ? failures : Optional.empty());
  }

  /**
   * This endpoint signing with {@code newSecret} from {@code at}; the secret it replaces keeps
   * signing until {@code previousExpiresAt}, unless that is not after {@code at}. Only the secret
   * just replaced lingers: an older one stops at once.
   */
  public Endpoint withRotatedSecret(
      SigningSecret newSecret, Instant at, Instant previousExpiresAt) {
    Optional<PreviousSecret> previous =
        previousExpiresAt.isAfter(at)
            ? Optional.of(new PreviousSecret(signingSecret, previousExpiresAt))
            : Optional.empty();
    return new Endpoint(
        id, url, newSecret, previous, eventTypes, description, status, createdAt, at, failures);
  }

  /** The secrets that sign its requests at {@code now}: the current one first. */
  public List<SigningSecret> signingSecretsAt(Instant now) {
    return previousSecret
        .filter(previous -> previous.signsAt(now))
        .map(previous -> List.of(signingSecret, previous.secret()))
        .orElseGet(() -> List.of(signingSecret));
  }

  /** Never prints the secrets. */
  @Override
  public String toString() {
    return "Endpoint[id=" + id + ", url=" + url + ", status=" + status.wireName() + "]";
  }
}

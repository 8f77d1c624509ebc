package io.triggers.core.policy;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventType;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.IdGenerator;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What webhook attempts make of their endpoint: a success ends its run of failures, a failure adds
 * to it, and an endpoint is disabled once every attempt to it has failed long enough ({@link
 * FailureStreak#disables}) or once it answers {@code 410 Gone}.
 *
 * <p>The one call that disables an endpoint also puts a {@value #DISABLED_TYPE} event, {@code
 * {endpoint_id, url, reason, last_error}}, in the organization's own inbox. It is pulled, never
 * pushed: fanned out to the organization's endpoints it could go to the dead endpoint itself, or
 * fail at another and feed the failures it reports. A node that stops between the disable and the
 * notice leaves the endpoint disabled without one.
 *
 * <p>A successful attempt to an endpoint that was not failing when it was read writes nothing. An
 * endpoint that fails often would otherwise cost a write per failed attempt, all on its one row: so
 * a failure that comes within {@link #FAILURE_WRITE_INTERVAL} of this node's last write of the
 * endpoint's failures is only counted here, and added with the next write, as long as the streak
 * that write returned is younger than the disable time. No failure is lost: the store's count lags
 * by those counted here until this node's next failure of the endpoint after the interval writes
 * them. From the disable time on every failure writes, so the first one that finds the streak long
 * and old enough still disables the endpoint.
 *
 * <p>Thread-safe, on one node or many: the store counts concurrent failures without losing one, and
 * only one of concurrent disables takes effect.
 */
public final class EndpointHealth {

  /** The type of the event that tells an organization one of its endpoints was disabled. */
  public static final String DISABLED_TYPE = "triggers.endpoint.disabled";

  /** How long every attempt must have failed before the endpoint is disabled, unless configured. */
  public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);

  /** The notice's reason for an endpoint disabled after failing for long enough. */
  public static final String FAILING = "failing";

  /** The notice's reason for an endpoint disabled after it answered {@code 410 Gone}. */
  public static final String GONE = "gone";

  /** How long after this node wrote an endpoint's failures a further one is only counted here. */
  static final Duration FAILURE_WRITE_INTERVAL = Duration.ofSeconds(1);

  private final Endpoints endpoints;
  private final EventLog events;
  private final IdGenerator ids;
  private final Clock clock;
  private final Duration disableAfter;
  private final Logger logger = System.getLogger(EndpointHealth.class.getName());
  private final ConcurrentMap<EndpointId, Recent> recent = new ConcurrentHashMap<>();

  /**
   * Tracks the endpoints of {@code endpoints} and puts notices in {@code events}; an endpoint is
   * disabled once every attempt to it has failed for {@code disableAfter} (positive).
   */
  public EndpointHealth(
      Endpoints endpoints, EventLog events, IdGenerator ids, Clock clock, Duration disableAfter) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.events = Objects.requireNonNull(events, "events");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.disableAfter = Objects.requireNonNull(disableAfter, "disableAfter");
    if (disableAfter.isNegative() || disableAfter.isZero()) {
      throw new IllegalArgumentException("disableAfter must be positive");
    }
  }

  /**
   * Takes the recorded attempt to {@code endpoint}, as it was read before the attempt: a delivery
   * ends its failures, a retry or a final failure adds one and may disable it.
   */
  public void attempted(OrganizationId organization, Endpoint endpoint, AttemptResult result) {
    switch (result) {
      case AttemptResult.Delivered delivered -> {
        recent.remove(endpoint.id());
        if (endpoint.failures().isPresent()) {
          endpoints.clearFailures(organization, endpoint.id());
        }
      }
      case AttemptResult.Retrying retrying ->
          failed(organization, endpoint, retrying.attemptedAt(), retrying.error());
      case AttemptResult.Failed failed ->
          failed(organization, endpoint, failed.attemptedAt(), failed.error());
      case AttemptResult.Held held -> {}
      case AttemptResult.Abandoned abandoned -> {}
    }
  }

  /**
   * Disables {@code endpoint}, which answered {@code 410 Gone}, unless it is no longer enabled or
   * its address changed since it was read.
   */
  public void gone(OrganizationId organization, Endpoint endpoint, String error) {
    disable(organization, endpoint, GONE, error);
  }

  private void failed(
      OrganizationId organization, Endpoint endpoint, Instant attemptedAt, String error) {
    Instant now = clock.instant();
    Optional<Recent> write = countOrWrite(endpoint.id(), now, attemptedAt);
    if (write.isEmpty()) {
      return;
    }
    Optional<FailureStreak> failures =
        endpoints.recordFailures(
            organization,
            endpoint.id(),
            write.get().firstUnwritten().orElse(attemptedAt),
            write.get().unwritten() + 1);
    failures.ifPresent(
        run ->
            recent.computeIfPresent(
                endpoint.id(),
                (id, last) ->
                    last.writtenAt().equals(now)
                        ? new Recent(now, Optional.of(run), last.firstUnwritten(), last.unwritten())
                        : last));
    if (failures.filter(run -> run.disables(disableAfter, clock.instant())).isPresent()) {
      disable(organization, endpoint, FAILING, error);
    }
  }

  /**
   * Counts a failure of the endpoint here if this node wrote its failures within {@link
   * #FAILURE_WRITE_INTERVAL} and the streak then returned is younger than the disable time;
   * otherwise returns what is left to write with it, the failures counted here since.
   */
  private Optional<Recent> countOrWrite(EndpointId id, Instant now, Instant attemptedAt) {
    List<Recent> toWrite = new ArrayList<>(1);
    recent.compute(
        id,
        (key, last) -> {
          if (last != null
              && now.isBefore(last.writtenAt().plus(FAILURE_WRITE_INTERVAL))
              && last.streak()
                  .filter(run -> now.isBefore(run.since().plus(disableAfter)))
                  .isPresent()) {
            return new Recent(
                last.writtenAt(),
                last.streak(),
                Optional.of(last.firstUnwritten().orElse(attemptedAt)),
                last.unwritten() + 1);
          }
          toWrite.add(last == null ? new Recent(now, Optional.empty(), Optional.empty(), 0) : last);
          return new Recent(
              now, last == null ? Optional.empty() : last.streak(), Optional.empty(), 0);
        });
    return toWrite.stream().findFirst();
  }

  private void disable(
      OrganizationId organization, Endpoint endpoint, String reason, String error) {
    Instant now = clock.instant();
    if (!endpoints.disable(organization, endpoint.id(), endpoint.url(), now)) {
      return;
    }
    logger.log(
        Level.WARNING,
        "Endpoint {0} of organization {1} disabled ({2}); its deliveries are held",
        endpoint.id(),
        organization,
        reason);
    events.append(
        List.of(
            new Event(
                ids.newEventId(),
                organization,
                new EventType(DISABLED_TYPE),
                notice(endpoint, reason, error),
                Optional.empty(),
                now)),
        DeliveryMethod.PULL);
  }

  private static Payload notice(Endpoint endpoint, String reason, String error) {
    return new Payload(
        "{\"endpoint_id\":"
            + quoted(endpoint.id().toString())
            + ",\"url\":"
            + quoted(endpoint.url().toString())
            + ",\"reason\":"
            + quoted(reason)
            + ",\"last_error\":"
            + quoted(error)
            + "}");
  }

  /**
   * {@code text} as a JSON string; an unpaired surrogate, which no JSON store accepts, becomes the
   * replacement character.
   */
  static String quoted(String text) {
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        json.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        json.append('\uFFFD');
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  /**
   * This node's last write of an endpoint's failures, the streak it returned once it did, and the
   * failures counted here since, the first of them made at {@code firstUnwritten}.
   */
  private record Recent(
      Instant writtenAt,
      Optional<FailureStreak> streak,
      Optional<Instant> firstUnwritten,
      int unwritten) {}
}

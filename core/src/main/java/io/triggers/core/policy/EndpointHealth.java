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
 * endpoint that fails often would otherwise cost a write per failed attempt, all on its one row,
 * the attempts waiting for each other's lock: so while this node writes an endpoint's failures,
 * further failures of it are counted here, and the writer adds them all with one more write before
 * it returns. No failure is lost or delayed past the write in progress, and every write's streak is
 * checked for the disable, so the endpoint is disabled as soon as if each had been written.
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

  private final Endpoints endpoints;
  private final EventLog events;
  private final IdGenerator ids;
  private final Clock clock;
  private final Duration disableAfter;
  private final Logger logger = System.getLogger(EndpointHealth.class.getName());
  private final ConcurrentMap<EndpointId, Unwritten> writing = new ConcurrentHashMap<>();

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
    boolean[] writer = {false};
    writing.compute(
        endpoint.id(),
        (id, unwritten) -> {
          if (unwritten == null) {
            writer[0] = true;
            return Unwritten.NONE;
          }
          return unwritten.plus(attemptedAt);
        });
    if (!writer[0]) {
      // The write in progress adds it.
      return;
    }
    Unwritten toWrite = Unwritten.NONE.plus(attemptedAt);
    try {
      while (toWrite.count() > 0) {
        Optional<FailureStreak> failures =
            endpoints.recordFailures(
                organization, endpoint.id(), toWrite.firstAt().orElseThrow(), toWrite.count());
        if (failures.filter(run -> run.disables(disableAfter, clock.instant())).isPresent()) {
          disable(organization, endpoint, FAILING, error);
        }
        toWrite = takeUnwritten(endpoint.id());
      }
    } catch (RuntimeException e) {
      writing.remove(endpoint.id());
      throw e;
    }
  }

  /** The failures counted while the last write ran; when none, ends this node's writing. */
  private Unwritten takeUnwritten(EndpointId endpoint) {
    Unwritten[] taken = {Unwritten.NONE};
    writing.compute(
        endpoint,
        (id, unwritten) -> {
          if (unwritten == null || unwritten.count() == 0) {
            return null;
          }
          taken[0] = unwritten;
          return Unwritten.NONE;
        });
    return taken[0];
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
   * Failed attempts counted here and not yet written, the first of them made at {@code firstAt}.
   */
  private record Unwritten(Optional<Instant> firstAt, int count) {

    static final Unwritten NONE = new Unwritten(Optional.empty(), 0);

    Unwritten plus(Instant at) {
      return new Unwritten(Optional.of(firstAt.orElse(at)), count + 1);
    }
  }
}

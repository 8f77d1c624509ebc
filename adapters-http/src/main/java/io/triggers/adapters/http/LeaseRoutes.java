package io.triggers.adapters.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.LeasedEvent;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AcknowledgeLease;
import io.triggers.core.port.in.ExtendLease;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.in.ReleaseLease;
import io.triggers.core.port.in.SeekInbox;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The routes of pull consumers that lease: take a lease of the oldest events, then ack, extend or
 * release it; and seek the inbox back to a time.
 */
final class LeaseRoutes {

  private final LeaseEvents leaseEvents;
  private final AcknowledgeLease acknowledgeLease;
  private final ExtendLease extendLease;
  private final ReleaseLease releaseLease;
  private final SeekInbox seekInbox;

  LeaseRoutes(
      LeaseEvents leaseEvents,
      AcknowledgeLease acknowledgeLease,
      ExtendLease extendLease,
      ReleaseLease releaseLease,
      SeekInbox seekInbox) {
    this.leaseEvents = leaseEvents;
    this.acknowledgeLease = acknowledgeLease;
    this.extendLease = extendLease;
    this.releaseLease = releaseLease;
    this.seekInbox = seekInbox;
  }

  List<Route> routes() {
    return List.of(
        Route.of("POST", "/api/inbox/lease", Route.Access.ORGANIZATION, this::lease).withJsonBody(),
        Route.of(
                "POST",
                "/api/inbox/leases/{lease_id}/ack",
                Route.Access.ORGANIZATION,
                this::acknowledge)
            .withJsonBody(),
        Route.of(
                "POST",
                "/api/inbox/leases/{lease_id}/extend",
                Route.Access.ORGANIZATION,
                this::extend)
            .withJsonBody(),
        Route.of(
                "POST",
                "/api/inbox/leases/{lease_id}/release",
                Route.Access.ORGANIZATION,
                this::release)
            .withJsonBody(),
        Route.of("POST", "/api/inbox/seek", Route.Access.ORGANIZATION, this::seek).withJsonBody());
  }

  Reply lease(Call call) {
    ObjectNode body = call.jsonObject();
    LeaseEvents.Command command =
        new LeaseEvents.Command(
            optionalInteger(body, "limit", "limit must be between 1 and " + LeaseRequest.MAX_LIMIT)
                .orElse(LeaseEvents.Command.DEFAULT_LIMIT),
            optionalInteger(body, "lease_seconds", leaseSecondsRange())
                .orElse(LeaseEvents.Command.DEFAULT_LEASE_SECONDS),
            Json.optionalText(body, "type").map(EventType::new));
    return Reply.json(
        200,
        leaseEvents
            .lease(call.organization().id(), command)
            .map(LeaseJson::of)
            .orElseGet(() -> new LeaseJson(null, null, List.of())));
  }

  Reply acknowledge(Call call) {
    Optional<Set<EventId>> ids = eventIds(call.jsonObject());
    return acknowledgeLease
        .acknowledge(call.organization().id(), call.leaseId(), ids)
        .map(result -> Reply.json(200, AcknowledgementJson.of(result)))
        .orElseGet(ErrorResponses::leaseNotFound);
  }

  Reply extend(Call call) {
    JsonNode body = call.jsonObject();
    int seconds =
        optionalInteger(body, "lease_seconds", leaseSecondsRange())
            .orElseThrow(
                () -> new InvalidValueException("lease_seconds", "lease_seconds is required"));
    return reply(extendLease.extend(call.organization().id(), call.leaseId(), seconds));
  }

  static Reply reply(ExtendLease.Outcome outcome) {
    return switch (outcome) {
      case ExtendLease.Outcome.Extended extended ->
          Reply.json(
              200,
              new ExtensionJson(extended.lease().toString(), extended.leasedUntil().toString()));
      case ExtendLease.Outcome.NotFound notFound -> ErrorResponses.leaseNotFound();
      case ExtendLease.Outcome.Expired expired ->
          Reply.error(409, "lease_expired", "the lease holds no event any more");
    };
  }

  Reply release(Call call) {
    ObjectNode body = call.jsonObject();
    Optional<Set<EventId>> ids = eventIds(body);
    int delay =
        optionalInteger(
                body,
                "delay_seconds",
                "delay_seconds must be between 0 and " + ReleaseLease.MAX_DELAY_SECONDS)
            .orElse(0);
    ReleaseLease.requireDelaySeconds(delay);
    return releaseLease
        .release(call.organization().id(), call.leaseId(), ids, delay)
        .map(released -> Reply.json(200, new ReleaseJson(strings(released))))
        .orElseGet(ErrorResponses::leaseNotFound);
  }

  Reply seek(Call call) {
    String text = Json.requiredText(call.jsonObject(), "time");
    Instant from;
    try {
      from = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidValueException("time", "time must be an RFC 3339 time with an offset");
    }
    return Reply.json(200, new SeekJson(seekInbox.seek(call.organization().id(), from)));
  }

  private static String leaseSecondsRange() {
    return "lease_seconds must be between 1 and " + LeaseEvents.Command.MAX_LEASE_SECONDS;
  }

  /** An optional whole number that fits an int; anything else answers 400 with {@code message}. */
  private static Optional<Integer> optionalInteger(JsonNode body, String field, String message) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new InvalidValueException(field, message);
    }
    return Optional.of(value.intValue());
  }

  /** The optional {@code event_ids}: absent means every event of the lease. */
  private static Optional<Set<EventId>> eventIds(JsonNode body) {
    JsonNode value = body.get("event_ids");
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    ArrayNode texts = Json.requiredArray(body, "event_ids");
    if (texts.size() > AcknowledgeEvents.MAX_BATCH_SIZE) {
      throw new InvalidValueException(
          "event_ids", "event_ids must hold at most " + AcknowledgeEvents.MAX_BATCH_SIZE + " ids");
    }
    Set<EventId> ids = new LinkedHashSet<>();
    for (JsonNode text : texts) {
      if (!text.isTextual()) {
        throw new InvalidValueException("event_ids", "event_ids must hold event ids");
      }
      try {
        ids.add(EventId.parse(text.textValue()));
      } catch (InvalidValueException e) {
        throw new InvalidValueException("event_ids", "event_ids must hold event ids");
      }
    }
    return Optional.of(ids);
  }

  private static List<String> strings(List<EventId> ids) {
    return ids.stream().map(EventId::toString).toList();
  }

  /** A lease as the API answers it; all null and no events when nothing was leasable. */
  record LeaseJson(String leaseId, String leasedUntil, List<LeasedEventJson> events) {

    static LeaseJson of(Lease lease) {
      return new LeaseJson(
          lease.id().toString(),
          lease.leasedUntil().toString(),
          lease.events().stream().map(LeasedEventJson::of).toList());
    }
  }

  /** The payload is the stored JSON text, embedded as it is rather than as a string. */
  record LeasedEventJson(
      String id,
      String type,
      @JsonRawValue String payload,
      String dedupId,
      String createdAt,
      int leaseCount) {

    static LeasedEventJson of(LeasedEvent leased) {
      Event event = leased.event();
      return new LeasedEventJson(
          event.id().toString(),
          event.type().value(),
          event.payload().json(),
          event.dedupId().map(DedupId::value).orElse(null),
          event.createdAt().toString(),
          leased.leaseCount());
    }
  }

  record AcknowledgementJson(
      List<String> acknowledged, List<String> expired, List<String> notInLease) {

    static AcknowledgementJson of(LeaseAcknowledgement result) {
      return new AcknowledgementJson(
          strings(result.acknowledged()), strings(result.expired()), strings(result.notInLease()));
    }
  }

  record ExtensionJson(String leaseId, String leasedUntil) {}

  record ReleaseJson(List<String> released) {}

  record SeekJson(int requeued) {}
}

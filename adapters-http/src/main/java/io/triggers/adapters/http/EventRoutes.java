package io.triggers.adapters.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.in.GetInboxState;
import io.triggers.core.port.in.RedeliverEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The routes of one stored event: read it with its delivery state, delete it, or send it to the
 * webhook again.
 */
final class EventRoutes {

  private final GetEvent getEvent;
  private final GetInboxState getInboxState;
  private final DeleteEvent deleteEvent;
  private final RedeliverEvent redeliverEvent;

  EventRoutes(
      GetEvent getEvent,
      GetInboxState getInboxState,
      DeleteEvent deleteEvent,
      RedeliverEvent redeliverEvent) {
    this.getEvent = getEvent;
    this.getInboxState = getInboxState;
    this.deleteEvent = deleteEvent;
    this.redeliverEvent = redeliverEvent;
  }

  List<Route> routes() {
    return List.of(
        Route.of("GET", "/api/events/{id}", Route.Access.ORGANIZATION, this::get),
        Route.of("DELETE", "/api/events/{id}", Route.Access.ORGANIZATION, this::delete),
        Route.of("POST", "/api/events/{id}/redeliver", Route.Access.ORGANIZATION, this::redeliver)
            .withOptionalJsonBody());
  }

  Reply get(Call call) {
    return getEvent
        .get(call.organization().id(), call.eventId())
        .map(
            found ->
                Reply.json(
                    200,
                    EventJson.of(
                        found, getInboxState.get(call.organization().id(), found.stored()))))
        .orElseGet(ErrorResponses::eventNotFound);
  }

  Reply delete(Call call) {
    return deleteEvent.delete(call.organization().id(), call.eventId())
        ? Reply.noContent()
        : ErrorResponses.eventNotFound();
  }

  /** Without a body (or without {@code endpoint_id}), to every endpoint; with one, to it alone. */
  Reply redeliver(Call call) {
    OrganizationId organization = call.organization().id();
    EventId id = call.eventId();
    Optional<String> endpoint =
        call.hasBody() ? Json.optionalText(call.jsonObject(), "endpoint_id") : Optional.empty();
    return reply(
        endpoint
            .map(EndpointId::parse)
            .map(to -> redeliverEvent.redeliver(organization, id, to))
            .orElseGet(() -> redeliverEvent.redeliver(organization, id)));
  }

  static Reply reply(RedeliverEvent.Outcome outcome) {
    return switch (outcome) {
      case RedeliverEvent.Outcome.Scheduled scheduled ->
          Reply.json(
              202,
              new RedeliveryJson(
                  scheduled.id().toString(), scheduled.delivery().status().wireName()));
      case RedeliverEvent.Outcome.Revived revived ->
          Reply.json(
              202,
              new RedeliveryJson(revived.id().toString(), revived.delivery().status().wireName()));
      case RedeliverEvent.Outcome.NotFound notFound -> ErrorResponses.eventNotFound();
      case RedeliverEvent.Outcome.EndpointNotFound unknown ->
          Reply.error(404, "endpoint_not_found", "no such endpoint")
              .withDetail("field", "endpoint_id");
      case RedeliverEvent.Outcome.NotSubscribed notSubscribed ->
          Reply.error(
              409,
              "endpoint_not_subscribed",
              "the endpoint's event_types do not take the event's type");
      case RedeliverEvent.Outcome.NoWebhook noWebhook ->
          Reply.error(
              409,
              "no_webhook",
              "the organization has no enabled endpoint for the event's type to deliver to");
    };
  }

  /**
   * The payload is the stored JSON text, embedded as it is rather than as a string; {@code
   * delivery} is the summary of {@code deliveries}, one per endpoint the event was fanned out to.
   */
  record EventJson(
      String id,
      String type,
      @JsonRawValue String payload,
      String dedupId,
      String createdAt,
      DeliveryJson delivery,
      InboxStateJson inbox,
      List<EndpointDeliveryJson> deliveries) {

    static EventJson of(GetEvent.Found found, GetInboxState.View inbox) {
      StoredEvent stored = found.stored();
      Event event = stored.event();
      return new EventJson(
          event.id().toString(),
          event.type().value(),
          event.payload().json(),
          event.dedupId().map(DedupId::value).orElse(null),
          event.createdAt().toString(),
          DeliveryJson.of(stored.delivery()),
          new InboxStateJson(
              inbox.status().wireName(),
              inbox.leaseCount(),
              inbox.leasedUntil().map(Instant::toString).orElse(null)),
          found.deliveries().stream().map(EndpointDeliveryJson::of).toList());
    }
  }

  /** One endpoint's delivery of the event. */
  record EndpointDeliveryJson(
      String endpointId,
      String status,
      int attempts,
      String lastAttemptAt,
      String nextAttemptAt,
      String lastError,
      String deliveredAt) {

    static EndpointDeliveryJson of(EndpointDelivery endpointDelivery) {
      DeliveryJson delivery = DeliveryJson.of(endpointDelivery.delivery());
      return new EndpointDeliveryJson(
          endpointDelivery.endpointId().toString(),
          delivery.status(),
          delivery.attempts(),
          delivery.lastAttemptAt(),
          delivery.nextAttemptAt(),
          delivery.lastError(),
          delivery.deliveredAt());
    }
  }

  /** Where the event stands with the inbox's leases. */
  record InboxStateJson(String status, int leaseCount, String leasedUntil) {}

  record DeliveryJson(
      String status,
      int attempts,
      String lastAttemptAt,
      String nextAttemptAt,
      String lastError,
      String deliveredAt) {

    static DeliveryJson of(Delivery delivery) {
      return new DeliveryJson(
          delivery.status().wireName(),
          delivery.attempts(),
          time(delivery.lastAttemptAt()),
          time(delivery.nextAttemptAt()),
          delivery.lastError().orElse(null),
          time(delivery.deliveredAt()));
    }

    private static String time(Optional<Instant> instant) {
      return instant.map(Instant::toString).orElse(null);
    }
  }

  record RedeliveryJson(String id, String status) {}
}

package io.triggers.adapters.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.SortOrder;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.ListDeadEvents;
import io.triggers.core.port.in.ListInbox;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The routes of the pull side: list the inbox page by page and acknowledge what was handled. */
final class InboxRoutes {

  /** The {@code status} that lists the dead events, which no delivery status names. */
  private static final String DEAD = "dead";

  private final ListInbox listInbox;
  private final ListDeadEvents listDeadEvents;
  private final AcknowledgeEvents acknowledgeEvents;

  InboxRoutes(
      ListInbox listInbox, ListDeadEvents listDeadEvents, AcknowledgeEvents acknowledgeEvents) {
    this.listInbox = listInbox;
    this.listDeadEvents = listDeadEvents;
    this.acknowledgeEvents = acknowledgeEvents;
  }

  List<Route> routes() {
    return List.of(
        Route.of("GET", "/api/inbox", Route.Access.ORGANIZATION, this::list),
        Route.of("POST", "/api/ack/{id}", Route.Access.ORGANIZATION, this::acknowledge),
        Route.of("POST", "/api/inbox/ack", Route.Access.ORGANIZATION, this::acknowledgeAll)
            .withJsonBody());
  }

  Reply list(Call call) {
    InboxQuery query = query(call);
    boolean dead = call.query("status").filter(DEAD::equals).isPresent();
    InboxPage page =
        dead
            ? listDeadEvents.list(call.organization().id(), query)
            : listInbox.list(call.organization().id(), query);
    return reply(page, query.order());
  }

  /** A page of a listing in {@code order}, whose cursor only a listing in that order accepts. */
  static Reply reply(InboxPage page, SortOrder order) {
    return Reply.json(200, new InboxJson(page, order));
  }

  Reply acknowledge(Call call) {
    return acknowledgeEvents
        .acknowledge(call.organization().id(), call.eventId())
        .map(
            acknowledgement ->
                Reply.json(
                    200,
                    new AcknowledgementJson(
                        acknowledgement.id().toString(),
                        DeliveryStatus.DELIVERED.wireName(),
                        acknowledgement.acknowledgedAt().toString())))
        .orElseGet(ErrorResponses::eventNotFound);
  }

  /**
   * Strings that are not event ids are reported in not_found like unknown ids, so one bad id does
   * not fail the whole batch; elements that are not strings at all are a 400.
   */
  Reply acknowledgeAll(Call call) {
    ArrayNode texts = Json.requiredArray(call.jsonObject(), "event_ids");
    if (texts.size() > AcknowledgeEvents.MAX_BATCH_SIZE) {
      throw new InvalidValueException(
          "event_ids", "event_ids must hold at most " + AcknowledgeEvents.MAX_BATCH_SIZE + " ids");
    }
    List<EventId> ids = new ArrayList<>();
    for (JsonNode text : texts) {
      if (!text.isTextual()) {
        throw new InvalidValueException("event_ids", "event_ids must hold strings");
      }
      parse(text.textValue()).ifPresent(ids::add);
    }
    Set<EventId> missing = new HashSet<>();
    int acknowledged = 0;
    if (!ids.isEmpty()) {
      AcknowledgeEvents.BatchAcknowledgement result =
          acknowledgeEvents.acknowledgeAll(call.organization().id(), ids);
      missing.addAll(result.notFound());
      acknowledged = result.acknowledged();
    }
    Set<String> notFound = new LinkedHashSet<>();
    for (JsonNode text : texts) {
      Optional<EventId> id = parse(text.textValue());
      if (id.isEmpty()) {
        notFound.add(text.textValue());
      } else if (missing.contains(id.get())) {
        notFound.add(id.get().toString());
      }
    }
    return Reply.json(200, new BatchAcknowledgementJson(acknowledged, List.copyOf(notFound)));
  }

  static InboxQuery query(Call call) {
    SortOrder order = call.query("order").map(SortOrder::parse).orElse(SortOrder.NEWEST_FIRST);
    Set<DeliveryStatus> statuses =
        call.query("status")
            .map(
                status ->
                    switch (status) {
                      case "all" -> EnumSet.allOf(DeliveryStatus.class);
                      // Dead events are never delivered: they are among the undelivered ones.
                      case DEAD -> EnumSet.copyOf(DeliveryStatus.UNDELIVERED);
                      default -> EnumSet.of(DeliveryStatus.parse(status));
                    })
            .orElse(EnumSet.copyOf(DeliveryStatus.UNDELIVERED));
    return new InboxQuery(
        statuses,
        call.query("type").map(EventType::new),
        call.query("limit").map(InboxRoutes::limit).orElse(InboxQuery.DEFAULT_LIMIT),
        call.query("cursor").map(cursor -> InboxCursor.decode(cursor, order)),
        order);
  }

  private static int limit(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidValueException(
          "limit", "limit must be between 1 and " + InboxQuery.MAX_LIMIT);
    }
  }

  private static Optional<EventId> parse(String text) {
    try {
      return Optional.of(EventId.parse(text));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  /**
   * A page as the API answers it: {@code {events: [{id, type, payload, dedup_id, created_at,
   * delivery_status, attempts}], next_cursor}}. Written field by field, as the inbox's replies are
   * the largest the API makes; the payloads go out as the JSON text they were stored as.
   */
  record InboxJson(InboxPage page, SortOrder order) implements JsonSerializable {

    @Override
    public void serialize(JsonGenerator json, SerializerProvider provider) throws IOException {
      json.writeStartObject();
      json.writeArrayFieldStart("events");
      for (InboxEvent listed : page.events()) {
        Event event = listed.event();
        json.writeStartObject();
        json.writeStringField("id", event.id().toString());
        json.writeStringField("type", event.type().value());
        json.writeFieldName("payload");
        json.writeRawValue(new RawJson(event.payload().json()));
        json.writeStringField("dedup_id", event.dedupId().map(DedupId::value).orElse(null));
        json.writeStringField("created_at", event.createdAt().toString());
        json.writeStringField("delivery_status", listed.status().wireName());
        json.writeNumberField("attempts", listed.attempts());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeStringField(
          "next_cursor", page.next().map(cursor -> cursor.encode(order)).orElse(null));
      json.writeEndObject();
    }

    @Override
    public void serializeWithType(
        JsonGenerator json, SerializerProvider provider, TypeSerializer typeSerializer)
        throws IOException {
      serialize(json, provider);
    }
  }

  record AcknowledgementJson(String id, String status, String acknowledgedAt) {}

  record BatchAcknowledgementJson(int acknowledged, List<String> notFound) {}
}

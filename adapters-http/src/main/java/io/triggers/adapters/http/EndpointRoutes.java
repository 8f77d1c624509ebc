package io.triggers.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ManageEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The routes of an organization's endpoints: create (the signing secret shown this once), list,
 * read, change and delete. Another organization's endpoint id is unknown here: 404.
 */
final class EndpointRoutes {

  private static final String EVENT_TYPES = "event_types";

  private final ManageEndpoints manageEndpoints;

  EndpointRoutes(ManageEndpoints manageEndpoints) {
    this.manageEndpoints = manageEndpoints;
  }

  List<Route> routes() {
    return List.of(
        Route.of("POST", "/api/endpoints", Route.Access.ORGANIZATION, this::create).withJsonBody(),
        Route.of("GET", "/api/endpoints", Route.Access.ORGANIZATION, this::list),
        Route.of("GET", "/api/endpoints/{id}", Route.Access.ORGANIZATION, this::get),
        Route.of("PATCH", "/api/endpoints/{id}", Route.Access.ORGANIZATION, this::change)
            .withJsonBody(),
        Route.of("DELETE", "/api/endpoints/{id}", Route.Access.ORGANIZATION, this::delete),
        Route.of(
                "POST",
                "/api/endpoints/{id}/secret/rotate",
                Route.Access.ORGANIZATION,
                this::rotate)
            .withJsonBody());
  }

  Reply create(Call call) {
    ObjectNode body = call.jsonObject();
    ManageEndpoints.NewEndpoint endpoint =
        new ManageEndpoints.NewEndpoint(
            Json.requiredText(body, "url"),
            eventTypes(body).orElse(List.of()),
            Json.optionalText(body, "description"));
    return reply(manageEndpoints.create(call.organization().id(), endpoint));
  }

  Reply list(Call call) {
    List<EndpointJson> endpoints =
        manageEndpoints.list(call.organization().id()).stream().map(EndpointJson::of).toList();
    return Reply.json(200, new EndpointListJson(endpoints));
  }

  Reply get(Call call) {
    return manageEndpoints
        .get(call.organization().id(), call.endpointId())
        .map(endpoint -> Reply.json(200, EndpointJson.of(endpoint)))
        .orElseGet(ErrorResponses::endpointNotFound);
  }

  Reply change(Call call) {
    OrganizationId organization = call.organization().id();
    ObjectNode body = call.jsonObject();
    ManageEndpoints.Changes changes =
        new ManageEndpoints.Changes(
            Json.optionalText(body, "url"),
            eventTypes(body),
            Json.optionalText(body, "description"),
            Json.optionalText(body, "status").map(EndpointStatus::parse));
    return reply(manageEndpoints.change(organization, call.endpointId(), changes));
  }

  Reply delete(Call call) {
    return manageEndpoints.delete(call.organization().id(), call.endpointId())
        ? Reply.noContent()
        : ErrorResponses.endpointNotFound();
  }

  Reply rotate(Call call) {
    ObjectNode body = call.jsonObject();
    Duration grace = ManageEndpoints.DEFAULT_GRACE;
    JsonNode seconds = body.get("grace_seconds");
    if (seconds != null && !seconds.isNull()) {
      if (!seconds.canConvertToLong() || !seconds.isIntegralNumber()) {
        throw new InvalidValueException(
            "grace_seconds", "grace_seconds must be a whole number of seconds");
      }
      grace = Duration.ofSeconds(seconds.longValue());
    }
    return manageEndpoints
        .rotateSecret(call.organization().id(), call.endpointId(), grace)
        .map(
            endpoint ->
                Reply.json(
                    200,
                    new RotatedSecretJson(
                        endpoint.signingSecret().value(),
                        endpoint
                            .previousSecret()
                            .map(previous -> previous.expiresAt().toString())
                            .orElse(null))))
        .orElseGet(ErrorResponses::endpointNotFound);
  }

  static Reply reply(ManageEndpoints.Created outcome) {
    return switch (outcome) {
      case ManageEndpoints.Created.Stored stored ->
          Reply.json(201, CreatedEndpointJson.of(stored.endpoint()));
      case ManageEndpoints.Created.Refused refused -> invalidUrl(refused.reason());
      case ManageEndpoints.Created.LimitReached limit ->
          Reply.error(
              409,
              "too_many_endpoints",
              "an organization may have at most " + limit.limit() + " endpoints");
    };
  }

  static Reply reply(ManageEndpoints.Changed outcome) {
    return switch (outcome) {
      case ManageEndpoints.Changed.Updated updated ->
          Reply.json(200, EndpointJson.of(updated.endpoint()));
      case ManageEndpoints.Changed.Refused refused -> invalidUrl(refused.reason());
      case ManageEndpoints.Changed.NotFound notFound -> ErrorResponses.endpointNotFound();
    };
  }

  private static Reply invalidUrl(String reason) {
    return Reply.error(400, "invalid_url", reason).withDetail("field", "url");
  }

  /** The filters, if the field is given: an array of strings, each an exact type or a prefix. */
  private static Optional<List<EventTypeFilter>> eventTypes(JsonNode body) {
    JsonNode value = body.get(EVENT_TYPES);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw new InvalidValueException(EVENT_TYPES, "event_types must be an array of strings");
    }
    if (value.size() > Endpoint.MAX_EVENT_TYPES) {
      throw new InvalidValueException(
          EVENT_TYPES, "event_types may list at most " + Endpoint.MAX_EVENT_TYPES + " entries");
    }
    List<EventTypeFilter> filters = new ArrayList<>(value.size());
    for (JsonNode entry : value) {
      if (!entry.isTextual()) {
        throw new InvalidValueException(EVENT_TYPES, "event_types must be an array of strings");
      }
      filters.add(new EventTypeFilter(entry.textValue()));
    }
    return Optional.of(filters);
  }

  /**
   * An endpoint as every read shows it, with since when and how often every attempt to it has
   * failed (null and 0 while it is not failing); never its secret.
   */
  record EndpointJson(
      String id,
      String url,
      List<String> eventTypes,
      String description,
      String status,
      String createdAt,
      String updatedAt,
      String failingSince,
      int failedAttempts) {

    static EndpointJson of(Endpoint endpoint) {
      return new EndpointJson(
          endpoint.id().toString(),
          endpoint.url().toString(),
          endpoint.eventTypes().stream().map(EventTypeFilter::value).toList(),
          endpoint.description().orElse(null),
          endpoint.status().wireName(),
          endpoint.createdAt().toString(),
          endpoint.updatedAt().toString(),
          endpoint.failures().map(failures -> failures.since().toString()).orElse(null),
          endpoint.failures().map(FailureStreak::attempts).orElse(0));
    }
  }

  /** A new endpoint, with the signing secret shown this once. */
  record CreatedEndpointJson(
      String id,
      String url,
      List<String> eventTypes,
      String description,
      String status,
      String signingSecret,
      String createdAt) {

    static CreatedEndpointJson of(Endpoint endpoint) {
      return new CreatedEndpointJson(
          endpoint.id().toString(),
          endpoint.url().toString(),
          endpoint.eventTypes().stream().map(EventTypeFilter::value).toList(),
          endpoint.description().orElse(null),
          endpoint.status().wireName(),
          endpoint.signingSecret().value(),
          endpoint.createdAt().toString());
    }
  }

  record EndpointListJson(List<EndpointJson> endpoints) {}

  /** The new secret, shown this once, and when the one it replaced stops signing. */
  record RotatedSecretJson(String signingSecret, String previousSecretExpiresAt) {}
}

package io.triggers.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.Organization;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** What an endpoint may know of one request: its parameters, headers, body and caller. */
final class Call {

  private final Map<String, String> pathParameters;
  private final Map<String, Deque<String>> queryParameters;
  private final Function<String, String> headers;
  private final byte[] body;
  private final Optional<Organization> organization;

  /**
   * @param headers the first value of a header by name, or {@code null} if it is absent
   */
  Call(
      Map<String, String> pathParameters,
      Map<String, Deque<String>> queryParameters,
      Function<String, String> headers,
      byte[] body,
      Optional<Organization> organization) {
    this.pathParameters = Map.copyOf(pathParameters);
    this.queryParameters = Objects.requireNonNull(queryParameters, "queryParameters");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = Objects.requireNonNull(body, "body");
    this.organization = Objects.requireNonNull(organization, "organization");
  }

  /** The authenticated caller; only routes for organizations have one. */
  Organization organization() {
    return organization.orElseThrow(
        () -> new IllegalStateException("this route does not authenticate its caller"));
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(headers.apply(name));
  }

  /** The first value of a query parameter; repeated values after it are ignored. */
  Optional<String> query(String name) {
    Deque<String> values = queryParameters.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  /** Whether the request came with a body (a route whose body is optional may have none). */
  boolean hasBody() {
    return body.length > 0;
  }

  /** The body as read; empty when the request had none. Not a copy: never to be changed. */
  byte[] body() {
    return body;
  }

  ObjectNode jsonObject() {
    return Json.parseObject(body);
  }

  /**
   * The event id in the path. Anything that is not an event id answers 404 like an unknown id, so
   * the form of ids cannot be probed.
   */
  EventId eventId() {
    String text = pathParameters.get("id");
    if (text == null) {
      throw new IllegalStateException("this route has no {id} in its path");
    }
    try {
      return EventId.parse(text);
    } catch (InvalidValueException e) {
      throw new ApiException(ErrorResponses.eventNotFound());
    }
  }

  /**
   * The lease id in the path. Anything that is not a lease id answers 404 like an unknown lease, so
   * the form of ids cannot be probed.
   */
  LeaseId leaseId() {
    String text = pathParameters.get("lease_id");
    if (text == null) {
      throw new IllegalStateException("this route has no {lease_id} in its path");
    }
    try {
      return LeaseId.parse(text);
    } catch (InvalidValueException e) {
      throw new ApiException(ErrorResponses.leaseNotFound());
    }
  }

  /**
   * The endpoint id in the path. Anything that is not an endpoint id answers 404 like an unknown
   * id, so the form of ids cannot be probed.
   */
  EndpointId endpointId() {
    String text = pathParameters.get("id");
    if (text == null) {
      throw new IllegalStateException("this route has no {id} in its path");
    }
    try {
      return EndpointId.parse(text);
    } catch (InvalidValueException e) {
      throw new ApiException(ErrorResponses.endpointNotFound());
    }
  }
}

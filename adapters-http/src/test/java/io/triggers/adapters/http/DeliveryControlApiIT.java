package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Exchange;
import io.triggers.core.model.OrganizationId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routes that look into and steer an event's deliveries: its attempt log, recovering an
 * endpoint's failed deliveries, and redelivering to one endpoint; with the input a client may get
 * wrong and the ids of another organization.
 */
class DeliveryControlApiIT {

  private static final String PUBLIC_URL = "https://93.184.216.34/hooks";

  private static TestServer server;
  private static ApiClient client;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    client = server.client;
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void listsAnEventsAttemptsNewestFirstWithStatusErrorAndDuration() {
    // given
    Organization organization = server.organization();
    String endpoint = createdEndpoint(organization);
    String id = server.ingest(organization, "order.created");
    attempt(
        organization,
        id,
        endpoint,
        at -> new AttemptResult.Retrying(at, "HTTP 503", at, Exchange.answered(503, millis(80))));
    attempt(
        organization,
        id,
        endpoint,
        at ->
            new AttemptResult.Delivered(at, at.plusMillis(12), Exchange.answered(200, millis(12))));

    // when
    ApiClient.Response listed = send("GET", "/api/events/" + id + "/attempts", organization, null);

    // then
    assertThat(listed.status()).isEqualTo(200);
    JsonNode attempts = listed.json().get("attempts");
    assertThat(attempts).hasSize(2);
    JsonNode newest = attempts.get(0);
    assertThat(newest.get("endpoint_id").asText()).isEqualTo(endpoint);
    assertThat(newest.get("outcome").asText()).isEqualTo("delivered");
    assertThat(newest.get("status_code").asInt()).isEqualTo(200);
    assertThat(newest.get("error").isNull()).isTrue();
    assertThat(newest.get("duration_ms").asLong()).isEqualTo(12);
    JsonNode oldest = attempts.get(1);
    assertThat(oldest.get("outcome").asText()).isEqualTo("retrying");
    assertThat(oldest.get("status_code").asInt()).isEqualTo(503);
    assertThat(oldest.get("error").asText()).isEqualTo("HTTP 503");
    assertThat(oldest.get("duration_ms").asLong()).isEqualTo(80);
    assertThat(Instant.parse(newest.get("attempted_at").asText()))
        .isAfter(Instant.parse(oldest.get("attempted_at").asText()));
  }

  @Test
  void listsNoAttemptsOfAnEventNotYetTried() {
    // given
    Organization organization = server.organization();
    String id = server.ingest(organization, "order.created");

    // when
    ApiClient.Response listed = send("GET", "/api/events/" + id + "/attempts", organization, null);

    // then
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("attempts")).isEmpty();
  }

  @Test
  void answers404ForTheAttemptsOfAnotherOrganizationsUnknownOrMalformedEvent() {
    // given
    Organization owner = server.organization();
    Organization stranger = server.organization();
    String id = server.ingest(owner, "order.created");

    // when / then
    for (String path :
        new String[] {
          "/api/events/" + id + "/attempts",
          "/api/events/" + UUID.randomUUID() + "/attempts",
          "/api/events/not-an-id/attempts",
          "/api/events/%27%20OR%201%3D1/attempts"
        }) {
      ApiClient.Response response = send("GET", path, stranger, null);
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.json().get("error").asText()).as(path).isEqualTo("not_found");
    }
    assertThat(client.get("/api/events/" + id + "/attempts").status()).isEqualTo(401);
  }

  @Test
  void recoversAnEndpointsFailedDeliveriesSinceATimeAndFindsNoneTheSecondTime() {
    // given
    Organization organization = server.organization();
    String endpoint = createdEndpoint(organization);
    Instant since = server.clock.instant();
    String id = server.ingest(organization, "order.created");
    attempt(organization, id, endpoint, at -> new AttemptResult.Failed(at, "HTTP 500"));
    String body = "{\"since\":\"" + since + "\"}";

    // when
    ApiClient.Response first = recover(organization, endpoint, body);
    ApiClient.Response second = recover(organization, endpoint, body);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json().get("requeued").asInt()).isEqualTo(1);
    assertThat(first.json().get("held").asBoolean()).isFalse();
    assertThat(second.json().get("requeued").asInt()).isZero();
    JsonNode delivery =
        send("GET", "/api/events/" + id, organization, null).json().get("deliveries").get(0);
    assertThat(delivery.get("status").asText()).isEqualTo("pending");
    assertThat(delivery.get("attempts").asInt()).isZero();
    assertThat(delivery.get("last_error").asText()).isEqualTo("HTTP 500");
  }

  @Test
  void recoversAPausedEndpointsFailedDeliveriesAsHeld() {
    // given
    Organization organization = server.organization();
    String endpoint = createdEndpoint(organization);
    Instant since = server.clock.instant();
    String id = server.ingest(organization, "order.created");
    attempt(organization, id, endpoint, at -> new AttemptResult.Failed(at, "HTTP 500"));
    send("PATCH", "/api/endpoints/" + endpoint, organization, "{\"status\":\"paused\"}");

    // when
    ApiClient.Response recovered = recover(organization, endpoint, "{\"since\":\"" + since + "\"}");

    // then
    assertThat(recovered.status()).isEqualTo(202);
    assertThat(recovered.json().get("requeued").asInt()).isEqualTo(1);
    assertThat(recovered.json().get("held").asBoolean()).isTrue();
    assertThat(
            send("GET", "/api/events/" + id, organization, null)
                .json()
                .get("deliveries")
                .get(0)
                .get("status")
                .asText())
        .isEqualTo("held");
  }

  @Test
  void refusesARecoveryWithoutAValidPastTime() {
    // given
    Organization organization = server.organization();
    String endpoint = createdEndpoint(organization);
    String future = server.clock.instant().plusSeconds(60).toString();

    // when / then
    for (String body :
        new String[] {
          "{}",
          "{\"since\":null}",
          "{\"since\":12}",
          "{\"since\":\"yesterday\"}",
          "{\"since\":\"2026-01-01T00:00:00\"}",
          "{\"since\":\"2026-13-45T99:00:00Z\"}",
          "{\"since\":\"" + future + "\"}",
          "[\"since\"]",
          "{\"since\":",
        }) {
      ApiClient.Response response = recover(organization, endpoint, body);
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.json().get("error").asText())
          .as(body)
          .isIn("invalid_request", "invalid_json");
    }
    ApiClient.Response withoutBody =
        client.send(
            "POST",
            "/api/endpoints/" + endpoint + "/recover",
            Optional.of(organization.apiKey()),
            null);
    assertThat(withoutBody.status()).isEqualTo(415);
  }

  @Test
  void answers404ForRecoveringAnotherOrganizationsUnknownOrMalformedEndpoint() {
    // given
    Organization owner = server.organization();
    Organization stranger = server.organization();
    String endpoint = createdEndpoint(owner);
    String past = "{\"since\":\"2020-01-01T00:00:00Z\"}";
    String future = "{\"since\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}";

    // when / then: the answer does not depend on the time asked for
    for (String id : new String[] {endpoint, UUID.randomUUID().toString(), "nope", "1%27--"}) {
      for (String body : new String[] {past, future}) {
        ApiClient.Response response = recover(stranger, id, body);
        assertThat(response.status()).as(id + " " + body).isEqualTo(404);
        assertThat(response.json().get("error").asText()).as(id).isEqualTo("not_found");
      }
    }
  }

  @Test
  void redeliversToOneEndpointOnlyOrToEveryOneWithoutABody() {
    // given
    Organization organization = server.organization();
    String first = createdEndpoint(organization);
    String second = createdEndpoint(organization);
    String id = server.ingest(organization, "order.created");
    send("POST", "/api/ack/" + id, organization, null);

    // when
    ApiClient.Response toOne = redeliver(organization, id, "{\"endpoint_id\":\"" + second + "\"}");

    // then
    assertThat(toOne.status()).isEqualTo(202);
    assertThat(statusesByEndpoint(organization, id))
        .containsEntry(first, "delivered")
        .containsEntry(second, "pending");
    for (String none : new String[] {null, "{}", "{\"endpoint_id\":null}"}) {
      send("POST", "/api/ack/" + id, organization, null);
      ApiClient.Response toAll = redeliver(organization, id, none);
      assertThat(toAll.status()).as(none).isEqualTo(202);
      assertThat(statusesByEndpoint(organization, id))
          .as(none)
          .containsEntry(first, "pending")
          .containsEntry(second, "pending");
    }
  }

  @Test
  void refusesARedeliveryToAnEndpointThatDoesNotTakeTheEventsType() {
    // given
    Organization organization = server.organization();
    ApiClient.Response created =
        send(
            "POST",
            "/api/endpoints",
            organization,
            "{\"url\":\"" + PUBLIC_URL + "\",\"event_types\":[\"invoice.*\"]}");
    String invoices = created.json().get("id").asText();
    String id = server.ingest(organization, "order.created");

    // when
    ApiClient.Response response =
        redeliver(organization, id, "{\"endpoint_id\":\"" + invoices + "\"}");

    // then
    assertThat(response.status()).isEqualTo(409);
    assertThat(response.json().get("error").asText()).isEqualTo("endpoint_not_subscribed");
  }

  @Test
  void answers404ForAnotherOrganizationsOrAnUnknownEndpointOrEvent() {
    // given
    Organization owner = server.organization();
    Organization stranger = server.organization();
    String foreignEndpoint = createdEndpoint(stranger);
    createdEndpoint(owner);
    String id = server.ingest(owner, "order.created");

    // when / then
    for (String endpoint : new String[] {foreignEndpoint, UUID.randomUUID().toString()}) {
      ApiClient.Response response = redeliver(owner, id, "{\"endpoint_id\":\"" + endpoint + "\"}");
      assertThat(response.status()).as(endpoint).isEqualTo(404);
      assertThat(response.json().get("error").asText()).isEqualTo("endpoint_not_found");
    }
    ApiClient.Response foreignEvent =
        redeliver(stranger, id, "{\"endpoint_id\":\"" + foreignEndpoint + "\"}");
    assertThat(foreignEvent.status()).isEqualTo(404);
    assertThat(foreignEvent.json().get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void refusesAMalformedRedeliveryBody() {
    // given
    Organization organization = server.organization();
    createdEndpoint(organization);
    String id = server.ingest(organization, "order.created");

    // when / then
    for (String body :
        new String[] {
          "{\"endpoint_id\":\"not-a-uuid\"}",
          "{\"endpoint_id\":42}",
          "{\"endpoint_id\":[\"a\"]}",
          "{\"endpoint_id\":\"' OR 1=1 --\"}",
          "[]",
          "\"endpoint\"",
          "{\"endpoint_id\":",
          "{\"endpoint_id\":\"\\ud800\"}"
        }) {
      ApiClient.Response response = redeliver(organization, id, body);
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.json().get("error").asText())
          .as(body)
          .isIn("invalid_request", "invalid_json");
    }
    ApiClient.Response plainText =
        client.send(
            "POST",
            "/api/events/" + id + "/redeliver",
            Map.of("X-API-Key", organization.apiKey(), "Content-Type", "text/plain"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(plainText.status()).isEqualTo(415);
  }

  private static Map<String, String> statusesByEndpoint(Organization organization, String id) {
    Map<String, String> statuses = new HashMap<>();
    send("GET", "/api/events/" + id, organization, null)
        .json()
        .get("deliveries")
        .forEach(
            delivery ->
                statuses.put(
                    delivery.get("endpoint_id").asText(), delivery.get("status").asText()));
    return statuses;
  }

  private static ApiClient.Response redeliver(Organization organization, String id, String body) {
    return send("POST", "/api/events/" + id + "/redeliver", organization, body);
  }

  private static ApiClient.Response recover(
      Organization organization, String endpoint, String body) {
    return send("POST", "/api/endpoints/" + endpoint + "/recover", organization, body);
  }

  /** Claims the event's delivery to the endpoint and records what {@code result} makes of now. */
  private static void attempt(
      Organization organization,
      String id,
      String endpoint,
      Function<Instant, AttemptResult> result) {
    OrganizationId org = new OrganizationId(UUID.fromString(organization.id()));
    EventId event = EventId.parse(id);
    EndpointId to = EndpointId.parse(endpoint);
    Instant at = server.clock.advance(Duration.ofSeconds(1));
    Delivery claimed =
        server
            .memory
            .claim(org, event, to, at, at.plusSeconds(30))
            .orElseThrow()
            .stored()
            .delivery();
    assertThat(server.memory.record(org, event, to, claimed, result.apply(at))).isPresent();
  }

  private static Duration millis(long millis) {
    return Duration.ofMillis(millis);
  }

  private static String createdEndpoint(Organization organization) {
    ApiClient.Response created =
        send("POST", "/api/endpoints", organization, "{\"url\":\"" + PUBLIC_URL + "\"}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  static ApiClient.Response send(
      String method, String path, Organization organization, String json) {
    return client.send(method, path, Optional.of(organization.apiKey()), json);
  }
}

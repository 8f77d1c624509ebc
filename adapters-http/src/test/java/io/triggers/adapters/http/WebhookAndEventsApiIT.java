package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebhookAndEventsApiIT {

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
  void configuresAWebhookWithANewSigningSecret() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response response =
        client.post(
            "/api/webhook/config",
            "{\"webhook_url\":\"http://127.0.0.1:9/hook\"}",
            organization.auth());

    // then
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("organization_id").asText()).isEqualTo(organization.id());
    assertThat(body.get("webhook_url").asText()).isEqualTo("http://127.0.0.1:9/hook");
    assertThat(body.get("signing_secret").asText()).startsWith("whsec_");
    assertThat(body.get("updated_at").asText()).isEqualTo(server.clock.instant().toString());
  }

  @Test
  void refusesAWebhookUrlThatBreaksTheRules() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response badScheme =
        client.post(
            "/api/webhook/config",
            "{\"webhook_url\":\"ftp://example.com/x\"}",
            organization.auth());
    ApiClient.Response missing = client.post("/api/webhook/config", "{}", organization.auth());
    ApiClient.Response notText =
        client.post("/api/webhook/config", "{\"webhook_url\":42}", organization.auth());

    // then
    assertThat(badScheme.status()).isEqualTo(400);
    assertThat(badScheme.error()).isEqualTo("invalid_webhook_url");
    assertThat(badScheme.json().get("message").asText())
        .isEqualTo("webhook_url must use http or https");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("field").asText()).isEqualTo("webhook_url");
    assertThat(notText.status()).isEqualTo(400);
  }

  @Test
  void removesTheWebhookSoRedeliveryHasNowhereToGo() {
    // given
    Organization organization = server.organization();
    client.post(
        "/api/webhook/config", "{\"webhook_url\":\"http://127.0.0.1:9/\"}", organization.auth());
    String id = server.ingest(organization, "order.created");

    // when
    ApiClient.Response removed = client.delete("/api/webhook/config", organization.auth());
    ApiClient.Response removedAgain = client.delete("/api/webhook/config", organization.auth());

    // then
    assertThat(removed.status()).isEqualTo(204);
    assertThat(removed.body()).isEmpty();
    assertThat(removedAgain.status()).isEqualTo(204);
    ApiClient.Response redelivery =
        client.postWithoutBody("/api/events/" + id + "/redeliver", organization.auth());
    assertThat(redelivery.status()).isEqualTo(409);
    assertThat(redelivery.error()).isEqualTo("no_webhook");
  }

  @Test
  void redeliversAnEventAsPendingAgain() {
    // given
    Organization organization = server.organization();
    client.post(
        "/api/webhook/config", "{\"webhook_url\":\"http://127.0.0.1:9/\"}", organization.auth());
    String id = server.ingest(organization, "order.created");
    client.postWithoutBody("/api/ack/" + id, organization.auth());

    // when
    ApiClient.Response response =
        client.postWithoutBody("/api/events/" + id + "/redeliver", organization.auth());

    // then
    assertThat(response.status()).isEqualTo(202);
    assertThat(response.json().get("id").asText()).isEqualTo(id);
    assertThat(response.json().get("status").asText()).isEqualTo("pending");
    JsonNode delivery = client.get("/api/events/" + id, organization.auth()).json().get("delivery");
    assertThat(delivery.get("status").asText()).isEqualTo("pending");
  }

  @Test
  void redeliveryOfAnUnknownEventIsNotFound() {
    // given
    Organization organization = server.organization();
    client.post(
        "/api/webhook/config", "{\"webhook_url\":\"http://127.0.0.1:9/\"}", organization.auth());

    // when
    ApiClient.Response response =
        client.postWithoutBody(
            "/api/events/01900000-0000-7000-8000-000000000000/redeliver", organization.auth());

    // then
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.error()).isEqualTo("not_found");
  }

  @Test
  void readsAnEventWithItsPayloadAsJsonAndItsDeliveryState() {
    // given
    Organization organization = server.organization();
    String payload =
        "{\"amount\":12.50,\"big\":123456789012345678901234567890,\"nested\":{\"ok\":true,\"list\":[1,\"two\",null]},\"text\":\"caf\\u00e9 \\\"quoted\\\"\"}";
    ApiClient.Response ingested =
        client.post(
            "/api/events",
            "{\"type\":\"order.paid\",\"payload\":" + payload + ",\"dedup_id\":\"pay-1\"}",
            organization.auth());
    String id = ingested.json().get("id").asText();

    // when
    ApiClient.Response response = client.get("/api/events/" + id, organization.auth());

    // then
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("id").asText()).isEqualTo(id);
    assertThat(body.get("type").asText()).isEqualTo("order.paid");
    assertThat(body.get("dedup_id").asText()).isEqualTo("pay-1");
    assertThat(body.get("created_at").asText()).isEqualTo(server.clock.instant().toString());
    assertThat(body.get("payload").isObject()).isTrue();
    assertThat(response.body())
        .contains(
            "\"payload\":{\"amount\":12.50,\"big\":123456789012345678901234567890,"
                + "\"nested\":{\"ok\":true,\"list\":[1,\"two\",null]},\"text\":\"café \\\"quoted\\\"\"}");
    JsonNode delivery = body.get("delivery");
    assertThat(delivery.get("status").asText()).isEqualTo("pending");
    assertThat(delivery.get("attempts").asInt()).isZero();
    assertThat(delivery.get("last_attempt_at").isNull()).isTrue();
    assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
    assertThat(delivery.get("last_error").isNull()).isTrue();
    assertThat(delivery.get("delivered_at").isNull()).isTrue();
  }

  @Test
  void answersNotFoundForIdsThatAreNotEventIds() {
    // given
    Organization organization = server.organization();

    // when / then
    for (String id :
        new String[] {
          "nope",
          "123",
          "6f1c1a2e-1111-4111-8111-111111111111",
          "01900000-0000-7000-8000-000000000000",
          "%27%20OR%201%3D1--"
        }) {
      ApiClient.Response read = client.get("/api/events/" + id, organization.auth());
      assertThat(read.status()).as(id).isEqualTo(404);
      assertThat(read.error()).isEqualTo("not_found");
      assertThat(client.delete("/api/events/" + id, organization.auth()).status()).isEqualTo(404);
      assertThat(client.postWithoutBody("/api/ack/" + id, organization.auth()).status())
          .isEqualTo(404);
    }
  }

  @Test
  void deletesAnEventOnce() {
    // given
    Organization organization = server.organization();
    String id = server.ingest(organization, "order.created");

    // when
    ApiClient.Response deleted = client.delete("/api/events/" + id, organization.auth());
    ApiClient.Response again = client.delete("/api/events/" + id, organization.auth());

    // then
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(again.status()).isEqualTo(404);
    assertThat(client.get("/api/events/" + id, organization.auth()).status()).isEqualTo(404);
  }

  @Test
  void oneOrganizationCannotTouchAnothersEvents() {
    // given
    Organization owner = server.organization();
    Organization intruder = server.organization();
    client.post("/api/webhook/config", "{\"webhook_url\":\"http://127.0.0.1:9/\"}", owner.auth());
    client.post(
        "/api/webhook/config", "{\"webhook_url\":\"http://127.0.0.1:9/\"}", intruder.auth());
    String id = server.ingest(owner, "secret.thing");

    // when
    ApiClient.Response read = client.get("/api/events/" + id, intruder.auth());
    ApiClient.Response delete = client.delete("/api/events/" + id, intruder.auth());
    ApiClient.Response ack = client.postWithoutBody("/api/ack/" + id, intruder.auth());
    ApiClient.Response batchAck =
        client.post("/api/inbox/ack", "{\"event_ids\":[\"" + id + "\"]}", intruder.auth());
    ApiClient.Response redeliver =
        client.postWithoutBody("/api/events/" + id + "/redeliver", intruder.auth());
    ApiClient.Response inbox = client.get("/api/inbox?status=all", intruder.auth());

    // then
    assertThat(read.status()).isEqualTo(404);
    assertThat(delete.status()).isEqualTo(404);
    assertThat(ack.status()).isEqualTo(404);
    assertThat(batchAck.status()).isEqualTo(200);
    assertThat(batchAck.json().get("acknowledged").asInt()).isZero();
    assertThat(batchAck.json().get("not_found").get(0).asText()).isEqualTo(id);
    assertThat(redeliver.status()).isEqualTo(404);
    assertThat(inbox.json().get("events")).isEmpty();
    JsonNode untouched = client.get("/api/events/" + id, owner.auth()).json();
    assertThat(untouched.get("delivery").get("status").asText()).isEqualTo("pending");
  }
}

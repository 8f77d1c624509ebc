package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import io.triggers.core.testing.StandardWebhooksVerifier;
import io.triggers.core.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints through the whole server: created, paused and deleted over the HTTP API, on embedded
 * PostgreSQL, each posting to its own path of a real local receiver.
 */
class EndpointsDeliveryIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path dataDir;

  private static ReceivingNode webhooks;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    webhooks = ReceivingNode.start(dataDir, Clock.tickMillis(ZoneOffset.UTC), Map.of());
    api = webhooks.api();
  }

  @AfterAll
  static void stop() {
    webhooks.close();
  }

  @Test
  void fansAnEventOutToEachEndpointThatTakesItsTypeSignedWithThatEndpointsSecret() {
    // given
    String key = api.newOrganization();
    JsonNode all = webhooks.createEndpoint(key, "/fan/all", "[]");
    JsonNode orders = webhooks.createEndpoint(key, "/fan/orders", "[\"order.*\"]");
    webhooks.createEndpoint(key, "/fan/invoices", "[\"invoice.paid\"]");

    // when
    String id = api.ingest(key, "order.created");

    // then
    await(
        PATIENCE,
        () ->
            webhooks.requestsTo("/fan/all").size() == 1
                && webhooks.requestsTo("/fan/orders").size() == 1);
    assertThat(
            verified(
                all.get("signing_secret").asText(), webhooks.requestsTo("/fan/all").getFirst()))
        .isTrue();
    assertThat(
            verified(
                orders.get("signing_secret").asText(),
                webhooks.requestsTo("/fan/orders").getFirst()))
        .isTrue();
    assertThat(
            verified(
                all.get("signing_secret").asText(), webhooks.requestsTo("/fan/orders").getFirst()))
        .isFalse();
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    JsonNode event = ApiClient.json(api.event(key, id));
    assertThat(event.get("deliveries")).hasSize(2);
    assertThat(webhooks.requestsTo("/fan/invoices")).isEmpty();
  }

  @Test
  void signsWithBothSecretsDuringARotationsGracePeriod() {
    // given
    String key = api.newOrganization();
    JsonNode endpoint = webhooks.createEndpoint(key, "/rotated", "[]");
    String old = endpoint.get("signing_secret").asText();
    ApiClient.Response rotated =
        api.send(
            "POST",
            "/api/endpoints/" + endpoint.get("id").asText() + "/secret/rotate",
            Optional.of(key),
            "{\"grace_seconds\":600}");
    String fresh = rotated.json().get("signing_secret").asText();

    // when
    api.ingest(key, "order.created");

    // then
    await(PATIENCE, () -> webhooks.requestsTo("/rotated").size() == 1);
    WebhookReceiver.Request request = webhooks.requestsTo("/rotated").getFirst();
    assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
    assertThat(verified(old, request)).isTrue();
    assertThat(verified(fresh, request)).isTrue();
  }

  @Test
  void holdsThePausedEndpointsDeliveriesAndSendsThemOnceItIsEnabledAgain() {
    // given
    String key = api.newOrganization();
    String endpoint = webhooks.createEndpoint(key, "/held", "[]").get("id").asText();
    webhooks.patchEndpoint(key, endpoint, "{\"status\":\"paused\"}");

    // when
    String id = api.ingest(key, "order.created");
    JsonNode held = ApiClient.json(api.event(key, id));
    webhooks.patchEndpoint(key, endpoint, "{\"status\":\"enabled\"}");

    // then
    assertThat(held.get("deliveries").get(0).get("status").asText()).isEqualTo("held");
    assertThat(webhooks.requestsTo("/held")).isEmpty();
    await(PATIENCE, () -> webhooks.requestsTo("/held").size() == 1);
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    assertThat(webhooks.requestsTo("/held").getFirst().header("webhook-id")).isEqualTo(id);
  }

  @Test
  void deletingAnEndpointEndsItsWaitingDeliveriesAsFailed() {
    // given
    String key = api.newOrganization();
    webhooks.answer("/deleted", 500);
    String endpoint = webhooks.createEndpoint(key, "/deleted", "[]").get("id").asText();
    String id = api.ingest(key, "order.created");
    await(PATIENCE, () -> "retrying".equals(text(api.event(key, id), "status")));

    // when
    ApiClient.Response deleted =
        api.send("DELETE", "/api/endpoints/" + endpoint, Optional.of(key), null);

    // then
    assertThat(deleted.status()).isEqualTo(204);
    String event = api.event(key, id);
    assertThat(text(event, "status")).isEqualTo("failed");
    assertThat(text(event, "last_error")).isEqualTo("endpoint deleted");
  }

  private static boolean verified(String secret, WebhookReceiver.Request request) {
    return new StandardWebhooksVerifier(secret).verify(request);
  }
}

package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import io.triggers.bootstrap.config.SettingsParser;
import io.triggers.core.testing.StandardWebhooksVerifier;
import io.triggers.core.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

  private static WebhookReceiver receiver;
  private static TriggersApplication node;
  private static ApiClient api;
  private static final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private static final List<WebhookReceiver.Request> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
    receiver.answer(
        request -> {
          received.add(request);
          return WebhookReceiver.Answer.status(statuses.getOrDefault(request.path(), 200));
        });
    node =
        Triggers.create(
            SettingsParser.parse(
                Map.of(
                    "TRIGGERS_HOST", "127.0.0.1",
                    "TRIGGERS_PORT", "0",
                    "TRIGGERS_DATA_DIR", dataDir.toString(),
                    "TRIGGERS_WEBHOOK_ALLOW_PRIVATE", "true"),
                List.of()),
            Clock.tickMillis(ZoneOffset.UTC));
    node.start();
    api = new ApiClient(node.port());
  }

  @AfterAll
  static void stop() {
    node.stop();
    receiver.close();
  }

  @Test
  void fansAnEventOutToEachEndpointThatTakesItsTypeSignedWithThatEndpointsSecret() {
    // given
    String key = api.newOrganization();
    JsonNode all = created(key, "/fan/all", "[]");
    JsonNode orders = created(key, "/fan/orders", "[\"order.*\"]");
    created(key, "/fan/invoices", "[\"invoice.paid\"]");

    // when
    String id = api.ingest(key, "order.created");

    // then
    await(
        PATIENCE,
        () -> requestsTo("/fan/all").size() == 1 && requestsTo("/fan/orders").size() == 1);
    assertThat(verified(all.get("signing_secret").asText(), requestsTo("/fan/all").getFirst()))
        .isTrue();
    assertThat(
            verified(orders.get("signing_secret").asText(), requestsTo("/fan/orders").getFirst()))
        .isTrue();
    assertThat(verified(all.get("signing_secret").asText(), requestsTo("/fan/orders").getFirst()))
        .isFalse();
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    JsonNode event = ApiClient.json(api.event(key, id));
    assertThat(event.get("deliveries")).hasSize(2);
    assertThat(requestsTo("/fan/invoices")).isEmpty();
  }

  @Test
  void signsWithBothSecretsDuringARotationsGracePeriod() {
    // given
    String key = api.newOrganization();
    JsonNode endpoint = created(key, "/rotated", "[]");
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
    await(PATIENCE, () -> requestsTo("/rotated").size() == 1);
    WebhookReceiver.Request request = requestsTo("/rotated").getFirst();
    assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
    assertThat(verified(old, request)).isTrue();
    assertThat(verified(fresh, request)).isTrue();
  }

  @Test
  void holdsThePausedEndpointsDeliveriesAndSendsThemOnceItIsEnabledAgain() {
    // given
    String key = api.newOrganization();
    String endpoint = created(key, "/held", "[]").get("id").asText();
    patch(key, endpoint, "{\"status\":\"paused\"}");

    // when
    String id = api.ingest(key, "order.created");
    JsonNode held = ApiClient.json(api.event(key, id));
    patch(key, endpoint, "{\"status\":\"enabled\"}");

    // then
    assertThat(held.get("deliveries").get(0).get("status").asText()).isEqualTo("held");
    assertThat(requestsTo("/held")).isEmpty();
    await(PATIENCE, () -> requestsTo("/held").size() == 1);
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    assertThat(requestsTo("/held").getFirst().header("webhook-id")).isEqualTo(id);
  }

  @Test
  void deletingAnEndpointEndsItsWaitingDeliveriesAsFailed() {
    // given
    String key = api.newOrganization();
    statuses.put("/deleted", 500);
    String endpoint = created(key, "/deleted", "[]").get("id").asText();
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

  private static JsonNode created(String key, String path, String eventTypes) {
    ApiClient.Response created =
        api.send(
            "POST",
            "/api/endpoints",
            Optional.of(key),
            "{\"url\":\"" + receiver.url(path) + "\",\"event_types\":" + eventTypes + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private static void patch(String key, String endpoint, String json) {
    ApiClient.Response changed =
        api.send("PATCH", "/api/endpoints/" + endpoint, Optional.of(key), json);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
  }

  private static List<WebhookReceiver.Request> requestsTo(String path) {
    List<WebhookReceiver.Request> matching = new ArrayList<>();
    for (WebhookReceiver.Request request : received) {
      if (request.path().equals(path)) {
        matching.add(request);
      }
    }
    return matching;
  }

  private static boolean verified(String secret, WebhookReceiver.Request request) {
    return new StandardWebhooksVerifier(secret)
        .verify(
            request.header("webhook-id"),
            request.header("webhook-timestamp"),
            request.header("webhook-signature"),
            request.body(),
            Instant.now());
  }
}

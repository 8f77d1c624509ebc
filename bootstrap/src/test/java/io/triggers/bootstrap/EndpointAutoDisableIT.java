package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-disable through the whole server, on embedded PostgreSQL, against a real receiver: an
 * endpoint failing for longer than a short {@code TRIGGERS_ENDPOINT_DISABLE_AFTER}, and at least
 * ten times, is disabled, its owner finds one notice in the inbox, and re-enabling it sends what it
 * held.
 */
class EndpointAutoDisableIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration DISABLE_AFTER = Duration.ofSeconds(2);
  private static final String NOTICE = "triggers.endpoint.disabled";

  @TempDir static Path dataDir;

  private static ReceivingNode webhooks;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    // No back-off: it would space the ten failed attempts out by its cooldowns, so the period
    // would be over before the tenth, which the first test needs to fail within it.
    webhooks =
        ReceivingNode.start(
            dataDir,
            Clock.tickMillis(ZoneOffset.UTC),
            Map.of(
                "TRIGGERS_ENDPOINT_DISABLE_AFTER",
                DISABLE_AFTER.toSeconds() + "s",
                "TRIGGERS_ENDPOINT_BACKOFF_AFTER",
                "0"));
    api = webhooks.api();
  }

  @AfterAll
  static void stop() {
    webhooks.close();
  }

  @Test
  void disablesAnEndpointThatKeepsFailingTellsItsOwnerOnceAndSendsWhatItHeldOnceEnabled()
      throws Exception {
    // given: ten failed attempts, the first more than the period ago
    String key = api.newOrganization();
    webhooks.answer("/dead", 500);
    String endpoint = created(key, "/dead");
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      failed.add(api.ingest(key, "order.created"));
    }
    await(PATIENCE, () -> endpoint(key, endpoint).get("failed_attempts").asInt() >= 10);
    JsonNode failing = endpoint(key, endpoint);
    assertThat(failing.get("status").asText()).isEqualTo("enabled");
    Instant since = Instant.parse(failing.get("failing_since").asText());
    Thread.sleep(
        Math.max(0, Duration.between(Instant.now(), since.plus(DISABLE_AFTER)).toMillis()));

    // when: one more attempt fails
    failed.add(api.ingest(key, "order.created"));

    // then: disabled, with one notice in the owner's inbox
    await(PATIENCE, () -> "disabled".equals(endpoint(key, endpoint).get("status").asText()));
    // The notice is committed just after the endpoint is disabled.
    await(PATIENCE, () -> !notices(key).isEmpty());
    List<JsonNode> notices = notices(key);
    assertThat(notices).hasSize(1);
    JsonNode payload = notices.getFirst().get("payload");
    assertThat(payload.get("endpoint_id").asText()).isEqualTo(endpoint);
    assertThat(payload.get("url").asText()).isEqualTo(webhooks.url("/dead").toString());
    assertThat(payload.get("reason").asText()).isEqualTo("failing");
    assertThat(payload.get("last_error").asText()).isEqualTo("HTTP 500");
    assertThat(notices.getFirst().get("created_at").asText()).isNotEmpty();

    // and: a later event is held, not sent
    int requestsBefore = webhooks.requestsTo("/dead").size();
    String later = api.ingest(key, "order.created");
    JsonNode laterEvent = ApiClient.json(api.event(key, later));
    assertThat(laterEvent.get("deliveries").get(0).get("status").asText()).isEqualTo("held");

    // when: the receiver is fixed and the endpoint enabled again
    webhooks.answer("/dead", 200);
    ApiClient.Response enabled =
        api.send(
            "PATCH", "/api/endpoints/" + endpoint, Optional.of(key), "{\"status\":\"enabled\"}");

    // then: its failures are forgotten and everything it held arrives
    assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
    assertThat(enabled.json().get("failed_attempts").asInt()).isZero();
    assertThat(enabled.json().get("failing_since").isNull()).isTrue();
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, later), "status")));
    for (String id : failed) {
      await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    }
    assertThat(
            webhooks
                .requestsTo("/dead")
                .subList(requestsBefore, webhooks.requestsTo("/dead").size()))
        .extracting(request -> request.header("webhook-id"))
        .contains(later)
        .doesNotContain(notices.getFirst().get("id").asText());
    assertThat(notices(key)).hasSize(1);
  }

  @Test
  void anEndpointAnsweringGoneIsDisabledWithOneNoticeAndNoOtherEndpointIsSentIt() {
    // given: one endpoint that is gone, one that takes every type
    String key = api.newOrganization();
    webhooks.answer("/gone", 410);
    String gone = created(key, "/gone");
    created(key, "/listening");

    // when
    String id = api.ingest(key, "order.created");

    // then
    await(PATIENCE, () -> "disabled".equals(endpoint(key, gone).get("status").asText()));
    await(PATIENCE, () -> webhooks.requestsTo("/listening").size() == 1);
    await(PATIENCE, () -> !notices(key).isEmpty());
    List<JsonNode> notices = notices(key);
    assertThat(notices).hasSize(1);
    assertThat(notices.getFirst().get("payload").get("reason").asText()).isEqualTo("gone");
    assertThat(webhooks.requestsTo("/listening"))
        .extracting(request -> request.header("webhook-id"))
        .containsExactly(id);
  }

  @Test
  void removingTheWebhookEndsItsDeliveriesNotYetMadeAsFailed() {
    // given
    String key = api.newOrganization();
    webhooks.answer("/removed", 500);
    api.configureWebhook(key, webhooks.url("/removed"));
    String id = api.ingest(key, "order.created");
    await(PATIENCE, () -> "retrying".equals(text(api.event(key, id), "status")));

    // when
    ApiClient.Response removed = api.send("DELETE", "/api/webhook/config", Optional.of(key), null);

    // then
    assertThat(removed.status()).isEqualTo(204);
    String event = api.event(key, id);
    assertThat(text(event, "status")).isEqualTo("failed");
    assertThat(text(event, "last_error")).isEqualTo("endpoint deleted");
  }

  private static String created(String key, String path) {
    return webhooks.createEndpoint(key, path, "[]").get("id").asText();
  }

  private static JsonNode endpoint(String key, String id) {
    ApiClient.Response found = api.send("GET", "/api/endpoints/" + id, Optional.of(key), null);
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    return found.json();
  }

  private static List<JsonNode> notices(String key) {
    ApiClient.Response page =
        api.send("GET", "/api/inbox?status=all&type=" + NOTICE, Optional.of(key), null);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    List<JsonNode> notices = new ArrayList<>();
    page.json().get("events").forEach(notices::add);
    return notices;
  }
}

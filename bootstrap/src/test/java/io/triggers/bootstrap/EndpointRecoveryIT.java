package io.triggers.bootstrap;

import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import io.triggers.core.delivery.EndpointBackoff;
import io.triggers.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt log, recovering an endpoint and redelivering to one endpoint, through the whole
 * server on embedded PostgreSQL against a real local receiver. The server's clock stands still
 * unless a test moves it, so that retries hours apart are made within seconds.
 */
class EndpointRecoveryIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** More than the sweep waits before it queues again what is overdue. */
  private static final Duration PAST_THE_SWEEP = Duration.ofSeconds(10);

  /**
   * Past the longest cooldown of the node's back-off from an endpoint, which nine failed attempts
   * in a row have reached, and past the sweep: the node makes no attempt to the endpoint before the
   * cooldown has ended, recovered or not.
   */
  private static final Duration PAST_THE_BACKOFF =
      EndpointBackoff.standard().longestCooldown().plus(PAST_THE_SWEEP);

  @TempDir static Path dataDir;

  private static final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private static ReceivingNode webhooks;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    webhooks = ReceivingNode.start(dataDir, clock, Map.of());
    api = webhooks.api();
  }

  @AfterAll
  static void stop() {
    webhooks.close();
  }

  @Test
  void logsEachAttemptWithTheReceiversStatusNewestFirst() {
    // given
    String key = api.newOrganization();
    webhooks.answer("/logged", 503);
    String endpoint = webhooks.createEndpoint(key, "/logged", "[]").get("id").asText();
    String id = api.ingest(key, "order.created");
    await(PATIENCE, () -> delivery(key, id).get("attempts").asInt() == 1);

    // when
    webhooks.answer("/logged", 204);
    clock.advance(Duration.ofMinutes(1));
    await(PATIENCE, () -> "delivered".equals(delivery(key, id).get("status").asText()));
    ApiClient.Response listed = api.send("GET", attemptsOf(id), Optional.of(key), null);

    // then
    assertThat(listed.status()).isEqualTo(200);
    JsonNode attempts = listed.json().get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("endpoint_id").asText()).isEqualTo(endpoint);
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("delivered");
    assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(204);
    assertThat(attempts.get(0).get("error").isNull()).isTrue();
    assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("retrying");
    assertThat(attempts.get(1).get("status_code").asInt()).isEqualTo(503);
    assertThat(attempts.get(1).get("error").asText()).isEqualTo("HTTP 503");
    assertThat(attempts.get(1).get("duration_ms").asLong()).isNotNegative();
    assertThat(listed.body()).doesNotContain(webhooks.url("/logged").toString());
    String stranger = api.newOrganization();
    assertThat(api.send("GET", attemptsOf(id), Optional.of(stranger), null).status())
        .isEqualTo(404);
  }

  @Test
  void recoversTheDeliveriesThatFailedDuringTheReceiversOutage() {
    // given: every retry of the event fails, and it ends failed
    String key = api.newOrganization();
    webhooks.answer("/outage", 500);
    String endpoint = webhooks.createEndpoint(key, "/outage", "[]").get("id").asText();
    Instant since = clock.instant();
    String id = api.ingest(key, "order.created");
    failedForGood(key, id);
    int attempts = webhooks.requestsTo("/outage").size();

    // when
    webhooks.answer("/outage", 200);
    ApiClient.Response recovered =
        api.send(
            "POST",
            "/api/endpoints/" + endpoint + "/recover",
            Optional.of(key),
            "{\"since\":\"" + since + "\"}");
    clock.advance(PAST_THE_BACKOFF);

    // then
    assertThat(recovered.status()).isEqualTo(202);
    assertThat(recovered.json().get("requeued").asInt()).isEqualTo(1);
    await(PATIENCE, () -> "delivered".equals(delivery(key, id).get("status").asText()));
    assertThat(webhooks.requestsTo("/outage").size()).isEqualTo(attempts + 1);
    JsonNode log = api.send("GET", attemptsOf(id), Optional.of(key), null).json();
    assertThat(log.get("attempts")).hasSize(attempts + 1);
    assertThat(log.get("attempts").get(0).get("outcome").asText()).isEqualTo("delivered");
    assertThat(log.get("attempts").get(1).get("outcome").asText()).isEqualTo("failed");
  }

  @Test
  void redeliversToOnePausedEndpointOnlyOnceItIsEnabledAgainAndToNoOther() {
    // given
    String key = api.newOrganization();
    String paused = webhooks.createEndpoint(key, "/one/paused", "[]").get("id").asText();
    webhooks.createEndpoint(key, "/one/other", "[]");
    String id = api.ingest(key, "order.created");
    await(
        PATIENCE,
        () ->
            webhooks.requestsTo("/one/paused").size() == 1
                && webhooks.requestsTo("/one/other").size() == 1);
    webhooks.patchEndpoint(key, paused, "{\"status\":\"paused\"}");

    // when
    ApiClient.Response redelivered =
        api.send(
            "POST",
            "/api/events/" + id + "/redeliver",
            Optional.of(key),
            "{\"endpoint_id\":\"" + paused + "\"}");

    // then: held, not sent, until the endpoint is enabled
    assertThat(redelivered.status()).isEqualTo(202);
    await(PATIENCE, () -> "held".equals(deliveryTo(key, id, paused).get("status").asText()));
    assertThat(webhooks.requestsTo("/one/paused").size()).isEqualTo(1);
    webhooks.patchEndpoint(key, paused, "{\"status\":\"enabled\"}");
    clock.advance(PAST_THE_SWEEP);
    await(PATIENCE, () -> webhooks.requestsTo("/one/paused").size() == 2);
    assertThat(webhooks.requestsTo("/one/other").size()).isEqualTo(1);
  }

  /** Moves the clock past each retry until the delivery has failed for good. */
  private static void failedForGood(String key, String id) {
    for (int attempt = 1; attempt < 20; attempt++) {
      int made = attempt;
      await(
          PATIENCE,
          () ->
              delivery(key, id).get("attempts").asInt() >= made
                  || "failed".equals(delivery(key, id).get("status").asText()));
      if ("failed".equals(delivery(key, id).get("status").asText())) {
        return;
      }
      clock.advance(Duration.ofHours(5));
    }
    throw new AssertionError("the delivery never failed for good");
  }

  private static JsonNode delivery(String key, String id) {
    return ApiClient.json(api.event(key, id)).get("deliveries").get(0);
  }

  private static JsonNode deliveryTo(String key, String id, String endpoint) {
    for (JsonNode delivery : ApiClient.json(api.event(key, id)).get("deliveries")) {
      if (delivery.get("endpoint_id").asText().equals(endpoint)) {
        return delivery;
      }
    }
    throw new AssertionError("no delivery to " + endpoint);
  }

  private static String attemptsOf(String id) {
    return "/api/events/" + id + "/attempts";
  }
}

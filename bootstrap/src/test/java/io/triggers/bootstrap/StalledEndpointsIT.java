package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.adapters.redis.TestRedis;
import io.triggers.core.delivery.EndpointBackoff;
import io.triggers.core.testing.StandardWebhooksVerifier;
import io.triggers.core.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoints that stall, through the whole server in cluster mode (PostgreSQL and a Redis of its
 * own), against a real receiver and in real time: a burst of events to each of several endpoints
 * that never answer costs each of them a few attempts per cooldown of the node's back-off, not one
 * per event; the back-off shows in the metrics and in Redis, whose queue holds their tasks back; a
 * healthy endpoint beside them gets all of its events meanwhile; and once the stalled receivers
 * answer again, every one of their events is delivered, none lost.
 */
class StalledEndpointsIT {

  private static final int STALLED = 4;
  private static final int BURST = 40;

  /** How long the server waits for an answer, and how long a stalled receiver hangs: longer. */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static final Duration HANG = Duration.ofSeconds(3);

  /** The first cooldown of the standard back-off, after three failed attempts in a row. */
  private static final Duration FIRST_COOLDOWN = EndpointBackoff.standard().firstCooldown();

  /**
   * The most requests a stalled endpoint may see by the end of the round of attempts that follows
   * the first cooldown: in that round and the first, at most eight each (the four in flight when a
   * failure opens it, and the four their workers went on with as they timed out). Without the
   * back-off it sees four a second, its burst's events and then their retries: 28 by then.
   */
  private static final int MOST_WHILE_STALLED = 20;

  /**
   * Enough for the healthy endpoint's burst; and, once the stalled receivers answer, for the
   * cooldown running then (10 s), the sweep's interval and grace (2 s and 5 s), and the second
   * retry (30 s ± 20 %) of events whose two attempts failed.
   */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final String HELD_BACK_KEY = "triggers:{deliveries}:held-back";

  private final WebhookReceiver receiver = new WebhookReceiver();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile boolean stalled = true;
  private TestRedis.Server redis;
  private ClusterNode node;
  private ApiClient api;

  /** One request the receiver got, when, and whether it hung. */
  private record Received(WebhookReceiver.Request request, Instant at, boolean hung) {}

  @BeforeEach
  void start() {
    receiver.answer(
        request -> {
          boolean hangs = stalled && request.path().startsWith("/stalled/");
          received.add(new Received(request, Instant.now(), hangs));
          return hangs
              ? new WebhookReceiver.Answer(200, Map.of(), HANG)
              : WebhookReceiver.Answer.status(200);
        });
    redis = TestRedis.start();
    node =
        ClusterNode.start(
            TestDatabase.freshSchemaUrl(),
            redis.url(),
            Clock.tickMillis(ZoneOffset.UTC),
            Map.of(
                "TRIGGERS_WEBHOOK_TIMEOUT",
                TIMEOUT.toSeconds() + "s",
                "TRIGGERS_WEBHOOK_ALLOW_PRIVATE",
                "true"));
    api = node.api();
  }

  @AfterEach
  void stop() {
    try {
      if (node != null) {
        node.close();
      }
      if (redis != null) {
        redis.stop();
      }
    } finally {
      receiver.close();
    }
  }

  @Test
  void backsOffFromStalledEndpointsDeliversTheHealthyOneAndLosesNothingOnceTheyAnswer() {
    // given: organizations whose endpoints stall, and one whose endpoint answers
    Map<String, String> stalledPaths = new LinkedHashMap<>();
    for (int i = 0; i < STALLED; i++) {
      String key = api.newOrganization();
      createEndpoint(key, "/stalled/" + i);
      stalledPaths.put(key, "/stalled/" + i);
    }
    String healthyKey = api.newOrganization();
    String secret = createEndpoint(healthyKey, "/healthy");

    // when: each sends a burst of events
    Map<String, List<String>> events = new LinkedHashMap<>();
    stalledPaths.keySet().forEach(key -> events.put(key, new ArrayList<>()));
    List<String> healthyEvents = new ArrayList<>();
    for (int n = 0; n < BURST; n++) {
      for (String key : stalledPaths.keySet()) {
        events.get(key).add(api.ingest(key, "order.created"));
      }
      healthyEvents.add(api.ingest(healthyKey, "order.created"));
    }

    // then: the healthy endpoint gets every event, signed, while the others stall
    await(PATIENCE, () -> webhookIds("/healthy").containsAll(healthyEvents));
    assertThat(requestsTo("/healthy"))
        .allSatisfy(request -> assertThat(verified(secret, request)).isTrue());
    for (String id : healthyEvents) {
      await(PATIENCE, () -> "delivered".equals(text(api.event(healthyKey, id), "status")));
    }

    // and: the node backs off from the stalled endpoints, holding their tasks back in Redis
    await(PATIENCE, () -> node.metric("triggers_delivery_endpoints_backed_off") >= 1);
    await(PATIENCE, () -> heldBackInRedis() >= 1);

    // when: the first cooldown ends, and each stalled endpoint is tried again
    for (String path : stalledPaths.values()) {
      await(PATIENCE, () -> triedAgainAfterACooldown(path));
    }
    sleep(TIMEOUT.plusMillis(500));

    // then: each saw a few requests, not one per event
    Map<String, Integer> whileStalled = new LinkedHashMap<>();
    stalledPaths.values().forEach(path -> whileStalled.put(path, requestsTo(path).size()));
    assertThat(whileStalled)
        .allSatisfy((path, count) -> assertThat(count).isBetween(3, MOST_WHILE_STALLED));
    assertThat(node.metric("triggers_delivery_endpoints_backed_off")).isGreaterThanOrEqualTo(1);

    // when: the stalled receivers answer again
    stalled = false;

    // then: every one of their events is delivered, none lost
    for (Map.Entry<String, String> organization : stalledPaths.entrySet()) {
      List<String> ids = events.get(organization.getKey());
      await(PATIENCE, () -> answeredIds(organization.getValue()).containsAll(ids));
      for (String id : ids) {
        await(
            PATIENCE,
            () -> "delivered".equals(text(api.event(organization.getKey(), id), "status")));
      }
    }
    await(PATIENCE, () -> node.metric("triggers_delivery_endpoints_backed_off") == 0);
  }

  /** Creates an endpoint of the organization for every type, posting there; returns its secret. */
  private String createEndpoint(String key, String path) {
    ApiClient.Response created =
        api.send(
            "POST",
            "/api/endpoints",
            Optional.of(key),
            "{\"url\":\"" + receiver.url(path) + "\",\"event_types\":[]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("signing_secret").asText();
  }

  /** Whether the path got a request a cooldown after its first one, which the back-off began. */
  private boolean triedAgainAfterACooldown(String path) {
    List<Received> requests =
        received.stream().filter(r -> r.request().path().equals(path)).toList();
    return !requests.isEmpty()
        && requests.getLast().at().isAfter(requests.getFirst().at().plus(FIRST_COOLDOWN));
  }

  private List<WebhookReceiver.Request> requestsTo(String path) {
    return received.stream()
        .map(Received::request)
        .filter(request -> request.path().equals(path))
        .toList();
  }

  private Set<String> webhookIds(String path) {
    Set<String> ids = new HashSet<>();
    requestsTo(path).forEach(request -> ids.add(request.header("webhook-id")));
    return ids;
  }

  /** The events the path got a prompt answer to. */
  private Set<String> answeredIds(String path) {
    Set<String> ids = new HashSet<>();
    received.stream()
        .filter(r -> !r.hung() && r.request().path().equals(path))
        .forEach(r -> ids.add(r.request().header("webhook-id")));
    return ids;
  }

  /** How many endpoints Redis holds back tasks of now. */
  private long heldBackInRedis() {
    return redis.sortedSetSize(HELD_BACK_KEY);
  }

  private static boolean verified(String secret, WebhookReceiver.Request request) {
    return new StandardWebhooksVerifier(secret).verify(request);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}

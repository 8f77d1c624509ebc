package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.number;
import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.core.testing.StandardWebhooksVerifier;
import io.triggers.core.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook delivery through the whole server: the real HTTP API on embedded PostgreSQL, posting to a
 * real local receiver. Each test has its own organization and receiver path.
 */
class WebhookDeliveryIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path dataDir;

  private static WebhookReceiver receiver;
  private static TriggersApplication node;
  private static ApiClient api;

  private static final Map<String, Script> scripts = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
    receiver.answer(
        request -> {
          Script script = scripts.get(request.path());
          return script == null ? WebhookReceiver.Answer.status(404) : script.next();
        });
    node = ReceivingNode.startServer(dataDir, Clock.tickMillis(ZoneOffset.UTC), Map.of());
    api = new ApiClient(node.port());
  }

  @AfterAll
  static void stop() {
    node.stop();
    receiver.close();
  }

  @Test
  void deliversAnIngestedEventSignedWithTheWebhooksSecret() throws Exception {
    // given
    String key = api.newOrganization();
    String secret = api.configureWebhook(key, receiver.url("/signed"));
    answerEach("/signed", 200);

    // when
    String id = api.ingest(key, "order.created");

    // then
    WebhookReceiver.Request request = nextRequest("/signed");
    assertThat(request.header("webhook-id")).isEqualTo(id);
    assertThat(verified(secret, request)).isTrue();
    assertThat(request.body())
        .startsWith("{\"id\":\"" + id + "\",\"type\":\"order.created\",")
        .contains("\"payload\":{\"order_id\":1042,\"total\":\"19.90\"}");
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    String event = api.event(key, id);
    assertThat(number(event, "attempts")).isEqualTo(1);
    assertThat(text(event, "delivered_at")).isNotNull();
    assertThat(text(event, "next_attempt_at")).isNull();
  }

  @Test
  void retriesAFailingReceiverUntilItTakesTheEvent() throws Exception {
    // given
    String key = api.newOrganization();
    String secret = api.configureWebhook(key, receiver.url("/flaky"));
    answerEach("/flaky", 500, 200);

    // when
    String id = api.ingest(key, "order.created");

    // then
    WebhookReceiver.Request first = nextRequest("/flaky");
    await(PATIENCE, () -> "retrying".equals(text(api.event(key, id), "status")));
    String retrying = api.event(key, id);
    assertThat(number(retrying, "attempts")).isEqualTo(1);
    assertThat(text(retrying, "last_error")).isEqualTo("HTTP 500");
    Duration wait =
        Duration.between(
            Instant.parse(text(retrying, "last_attempt_at")),
            Instant.parse(text(retrying, "next_attempt_at")));
    assertThat(wait).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));

    WebhookReceiver.Request second = nextRequest("/flaky");
    assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id")).isEqualTo(id);
    assertThat(verified(secret, second)).isTrue();
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    assertThat(number(api.event(key, id), "attempts")).isEqualTo(2);
  }

  @Test
  void redeliversADeliveredEventOnRequest() throws Exception {
    // given
    String key = api.newOrganization();
    String secret = api.configureWebhook(key, receiver.url("/again"));
    answerEach("/again", 200, 200);
    String id = api.ingest(key, "order.created");
    nextRequest("/again");
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));

    // when
    ApiClient.Response redelivery = api.postWithKey("/api/events/" + id + "/redeliver", key);

    // then
    assertThat(redelivery.status()).isEqualTo(202);
    WebhookReceiver.Request again = nextRequest("/again");
    assertThat(again.header("webhook-id")).isEqualTo(id);
    assertThat(verified(secret, again)).isTrue();
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
    assertThat(number(api.event(key, id), "attempts")).isEqualTo(1);
  }

  @Test
  void anAckThroughTheInboxStopsTheRetries() throws Exception {
    // given
    String key = api.newOrganization();
    api.configureWebhook(key, receiver.url("/acked"));
    answerEach("/acked", 500, 500);
    String id = api.ingest(key, "order.created");
    nextRequest("/acked");
    await(PATIENCE, () -> "retrying".equals(text(api.event(key, id), "status")));
    Instant nextAttempt = Instant.parse(text(api.event(key, id), "next_attempt_at"));

    // when
    ApiClient.Response ack = api.postWithKey("/api/ack/" + id, key);

    // then: the retry falls due and passes without a request
    assertThat(ack.status()).isEqualTo(200);
    Duration untilWellPastTheRetry =
        Duration.between(Instant.now(), nextAttempt).plus(Duration.ofSeconds(3));
    Thread.sleep(Math.max(0, untilWellPastTheRetry.toMillis()));
    assertThat(scripts.get("/acked").received().get()).isEqualTo(1);
    String event = api.event(key, id);
    assertThat(text(event, "status")).isEqualTo("delivered");
    assertThat(number(event, "attempts")).isEqualTo(1);
  }

  @Test
  void goneDisablesTheWebhookAndHoldsTheEventInTheInbox() throws Exception {
    // given
    String key = api.newOrganization();
    api.configureWebhook(key, receiver.url("/gone"));
    answerEach("/gone", 410);

    // when
    String id = api.ingest(key, "order.created");

    // then
    nextRequest("/gone");
    await(PATIENCE, () -> "held".equals(text(api.event(key, id), "status")));
    assertThat(text(api.event(key, id), "last_error")).contains("410");
    ApiClient.Response inbox = api.getWithKey("/api/inbox", key);
    assertThat(inbox.body()).contains(id);
    ApiClient.Response redelivery = api.postWithKey("/api/events/" + id + "/redeliver", key);
    assertThat(redelivery.status()).isEqualTo(409);
    String later = api.ingest(key, "order.created");
    assertThat(text(api.event(key, later), "status")).isEqualTo("pending");
    assertThat(text(api.event(key, later), "next_attempt_at")).isNull();
    assertThat(api.event(key, later)).contains("\"deliveries\":[{").contains("\"held\"");
  }

  /** Answers the requests to {@code path} with these statuses in turn, then with the last. */
  private static void answerEach(String path, int... statuses) {
    scripts.put(path, new Script(statuses, new AtomicInteger()));
  }

  /** The statuses a receiver path answers with, and how many requests it got. */
  private record Script(int[] statuses, AtomicInteger received) {

    WebhookReceiver.Answer next() {
      int n = received.getAndIncrement();
      return WebhookReceiver.Answer.status(statuses[Math.min(n, statuses.length - 1)]);
    }
  }

  /** The next request to {@code path}; requests to other paths are left for their tests. */
  private static WebhookReceiver.Request nextRequest(String path) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() - deadline < 0) {
      WebhookReceiver.Request request = receiver.requests().poll(100, TimeUnit.MILLISECONDS);
      if (request != null && request.path().equals(path)) {
        return request;
      }
    }
    throw new AssertionError("no request to " + path + " within " + PATIENCE);
  }

  private static boolean verified(String secret, WebhookReceiver.Request request) {
    return new StandardWebhooksVerifier(secret).verify(request);
  }
}

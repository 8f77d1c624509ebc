package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.WebhookReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped between a webhook's send and the write of its result: the receiver got the
 * webhook, but the node could not record that it did. Meanwhile clients get 503s with {@code
 * Retry-After}; once PostgreSQL is back and the attempt's claim has run out, the webhook is sent
 * again with the same {@code webhook-id} (at least once, as promised), ends delivered, and the
 * endpoint's lane goes on to later events. The server's clock stands still unless the test moves it
 * past the claim's lease.
 */
class DeliveryOutageFaultIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Past a claim's lease (the send's timeout and the room around it) and the sweep's grace. */
  private static final Duration PAST_THE_LEASE = Duration.ofMinutes(2);

  private static final String PATH = "/outage";

  @TempDir Path databaseDir;
  @TempDir Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final WebhookReceiver receiver = new WebhookReceiver();
  private final List<WebhookReceiver.Request> received = new CopyOnWriteArrayList<>();
  private volatile EmbeddedPostgres postgres;
  private int port;
  private TriggersApplication server;
  private ApiClient api;

  @BeforeEach
  void start() throws IOException {
    postgres = ExternalPostgres.start(databaseDir, 0);
    port = postgres.getPort();
    // One request at a time to an endpoint, so that a second event waits in its lane.
    server =
        ReceivingNode.startServer(
            dataDir,
            clock,
            Map.of(
                "TRIGGERS_DATABASE_URL",
                postgres.getJdbcUrl("postgres", "postgres"),
                "TRIGGERS_DELIVERY_CONCURRENCY_PER_ORG",
                "1"));
    api = new ApiClient(server.port());
  }

  @AfterEach
  void stop() throws IOException {
    try {
      server.stop();
    } finally {
      receiver.close();
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  @Test
  void aResultLostToAnOutageIsSentAgainOnceItIsBackAndTheLaneGoesOn() throws Exception {
    // given an endpoint whose receiver stops PostgreSQL on the first webhook, then answers 200
    AtomicBoolean first = new AtomicBoolean(true);
    receiver.answer(
        request -> {
          received.add(request);
          if (first.getAndSet(false)) {
            stopPostgres();
          }
          return WebhookReceiver.Answer.status(200);
        });
    String key = organizationWithEndpoint();

    // when an event is sent, and PostgreSQL stops before its result is written
    String event = api.ingest(key, "order.created");

    // then clients are told to come back, never a 500
    await(PATIENCE, () -> requestsFor(event) == 1);
    answers503WithRetryAfterWhileDown(key, event);

    // when PostgreSQL is back, and the attempt's claim has run out
    restartPostgres();

    // then the event is sent again, ends delivered, and a later event gets through
    deliveredAgainAndTheLaneGoesOn(key, event);
  }

  @Test
  void aResultAndTheNextClaimLostToAnOutageAreBothMadeGoodOnceItIsBack() throws Exception {
    // given an endpoint whose receiver, on the first webhook, waits for a second event to be
    // queued behind it, then stops PostgreSQL and answers 200: the failed write records the first
    // result and claims the second in one (the hand-off)
    CountDownLatch secondQueued = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    receiver.answer(
        request -> {
          received.add(request);
          if (first.getAndSet(false)) {
            awaitQuietly(secondQueued);
            stopPostgres();
          }
          return WebhookReceiver.Answer.status(200);
        });
    String key = organizationWithEndpoint();

    // when
    String event = api.ingest(key, "order.created");
    await(PATIENCE, () -> requestsFor(event) == 1);
    String second = api.ingest(key, "order.created");
    // The 202 comes once the task is queued; the dispatcher then puts it in the endpoint's lane.
    Thread.sleep(500);
    secondQueued.countDown();

    // then
    answers503WithRetryAfterWhileDown(key, event);
    assertThat(requestsFor(second)).as("the second event, before PostgreSQL is back").isZero();

    // when
    restartPostgres();

    // then both are delivered, the first twice, and a later event gets through
    await(PATIENCE, () -> requestsFor(second) >= 1);
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, second), "status")));
    deliveredAgainAndTheLaneGoesOn(key, event);
  }

  /** A new organization with one endpoint, for every type, posting to the receiver. */
  private String organizationWithEndpoint() {
    String key = api.newOrganization();
    ApiClient.Response created =
        api.send(
            "POST", "/api/endpoints", Optional.of(key), "{\"url\":\"" + receiver.url(PATH) + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return key;
  }

  /** Once the node knows PostgreSQL is down, its routes answer 503 with Retry-After. */
  private void answers503WithRetryAfterWhileDown(String key, String event) {
    await(PATIENCE, () -> postgres == null && postgresDetail().equals("unreachable"));
    Map<String, ApiClient.Response> answers = new TreeMap<>();
    answers.put("ingest", api.ingest(key, Optional.empty()));
    answers.put("event", api.getWithKey("/api/events/" + event, key));
    answers.put("attempts", api.getWithKey("/api/events/" + event + "/attempts", key));
    answers.forEach(
        (route, answer) -> {
          assertThat(answer.status()).as("%s: %s", route, answer.body()).isEqualTo(503);
          assertThat(answer.header("Retry-After")).as("%s Retry-After", route).isNotNull();
        });
  }

  /**
   * Starts PostgreSQL again where the node expects it, waits until the node is ready, and moves the
   * clock past the lost attempt's claim.
   */
  private void restartPostgres() throws IOException {
    postgres = ExternalPostgres.start(databaseDir, port);
    await(PATIENCE, () -> api.get("/health/ready").status() == 200);
    clock.advance(PAST_THE_LEASE);
  }

  private void deliveredAgainAndTheLaneGoesOn(String key, String event) {
    await(PATIENCE, () -> requestsFor(event) >= 2);
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, event), "status")));
    String later = api.ingest(key, "order.created");
    await(PATIENCE, () -> requestsFor(later) >= 1);
    await(PATIENCE, () -> "delivered".equals(text(api.event(key, later), "status")));
  }

  /** How many requests the receiver got with the event's id as their {@code webhook-id}. */
  private long requestsFor(String event) {
    return received.stream()
        .filter(request -> request.path().equals(PATH))
        .filter(request -> event.equals(request.header("webhook-id")))
        .count();
  }

  private void stopPostgres() {
    try {
      postgres.close();
      postgres = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The detail the node's readiness gives for PostgreSQL. */
  private String postgresDetail() {
    ApiClient.Response ready = api.get("/health/ready");
    return ApiClient.json(ready.body()).path("checks").path("postgres").path("detail").asText();
  }
}

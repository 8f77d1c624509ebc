package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.redis.RedisUnavailableException;
import io.triggers.adapters.redis.TestRedis;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under load, in single-node and in cluster mode: while it is
 * down every ingest gets a 503 with {@code Retry-After}, quickly once the node knows; afterwards
 * 202s resume without a restart of the server, and every event answered 202 is there. The pull
 * routes (inbox, leases, acks, seek) and the endpoint and delivery routes answer 503 too, and a
 * lease taken before the outage still holds its events after it.
 */
class PostgresOutageFaultIT {

  /** Concurrent clients, spread over the nodes. */
  private static final int CLIENTS = 16;

  /**
   * Each client's pause between requests, so that fast 503s do not saturate the machine and the
   * latency measured is the server's, not a queue's.
   */
  private static final Duration PAUSE = Duration.ofMillis(10);

  /** Answers to wait for in each phase. */
  private static final int RESPONSES_PER_PHASE = 300;

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** A public address: the webhook target rules accept it without resolving a name. */
  private static final String PUBLIC_URL = "https://1.1.1.1/hook";

  @TempDir Path databaseDir;
  @TempDir Path dataDir;

  private EmbeddedPostgres postgres;
  private final List<AutoCloseable> nodes = new ArrayList<>();

  @BeforeEach
  void startPostgres() throws Exception {
    postgres = ExternalPostgres.start(databaseDir, 0);
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable node : nodes.reversed()) {
      node.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void singleNodeAnswers503WhilePostgresIsDownAndAcceptsAgainOnceItIsBack() throws Exception {
    // given one node on this PostgreSQL, without Redis
    TriggersApplication server =
        SingleNode.start(postgres.getJdbcUrl("postgres", "postgres"), dataDir);
    nodes.add(server::stop);
    ApiClient api = new ApiClient(server.port());

    // when / then
    survivesAnOutage("single", List.of(api));
  }

  @Test
  void clusterNodesAnswer503WhilePostgresIsDownAndAcceptAgainOnceItIsBack() throws Exception {
    // given two nodes on this PostgreSQL and a Redis of their own
    TestRedis.Server redis = TestRedis.start();
    nodes.add(redis::stop);
    String databaseUrl = postgres.getJdbcUrl("postgres", "postgres");
    List<ApiClient> apis = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ClusterNode node = startNode(databaseUrl, redis.url());
      nodes.add(node);
      apis.add(node.api());
    }

    // when / then
    survivesAnOutage("cluster", apis);
  }

  @Test
  void thePullRoutesAnswer503WhilePostgresIsDownAndALeaseHoldsItsEventsAfterwards()
      throws Exception {
    // given one node, an inbox of three events and a lease on two of them
    TriggersApplication server =
        SingleNode.start(postgres.getJdbcUrl("postgres", "postgres"), dataDir);
    nodes.add(server::stop);
    ApiClient api = new ApiClient(server.port());
    String key = api.newApiKey("pro");
    List<String> ids =
        IntStream.range(0, 3).mapToObj(i -> api.ingest(key, "order.created")).toList();
    ApiClient.Response leased =
        api.send("POST", "/api/inbox/lease", Optional.of(key), "{\"limit\":2}");
    assertThat(leased.status()).isEqualTo(200);
    String lease = "/api/inbox/leases/" + leased.json().get("lease_id").asText();

    // when PostgreSQL stops
    int port = postgres.getPort();
    postgres.close();
    postgres = null;
    Eventually.await(PATIENCE, () -> postgresDetail(api).equals("unreachable"));

    // then every pull route says so with a 503 and Retry-After, never a 500 or a hang
    Map<String, ApiClient.Response> answers = new TreeMap<>();
    answers.put("list", api.send("GET", "/api/inbox", Optional.of(key), ""));
    answers.put("dead", api.send("GET", "/api/inbox?status=dead", Optional.of(key), ""));
    answers.put("event", api.send("GET", "/api/events/" + ids.get(2), Optional.of(key), ""));
    answers.put("lease", api.send("POST", "/api/inbox/lease", Optional.of(key), "{}"));
    answers.put("ack", api.send("POST", lease + "/ack", Optional.of(key), "{}"));
    answers.put(
        "extend", api.send("POST", lease + "/extend", Optional.of(key), "{\"lease_seconds\":60}"));
    answers.put("release", api.send("POST", lease + "/release", Optional.of(key), "{}"));
    answers.put(
        "seek",
        api.send(
            "POST", "/api/inbox/seek", Optional.of(key), "{\"time\":\"2026-01-01T00:00:00Z\"}"));
    answers.put("ack one", api.send("POST", "/api/ack/" + ids.get(2), Optional.of(key), ""));
    answers.put(
        "ack many",
        api.send(
            "POST",
            "/api/inbox/ack",
            Optional.of(key),
            "{\"event_ids\":[\"" + ids.get(2) + "\"]}"));
    answers.forEach(
        (route, answer) -> {
          assertThat(answer.status()).as("%s: %s", route, answer.body()).isEqualTo(503);
          assertThat(answer.header("Retry-After")).as("%s Retry-After", route).isNotNull();
        });

    // when it is back, the lease still holds its two events and its ack takes them
    postgres = ExternalPostgres.start(databaseDir, port);
    Eventually.await(PATIENCE, () -> api.get("/health/ready").status() == 200);
    ApiClient.Response acked = api.send("POST", lease + "/ack", Optional.of(key), "{}");

    // then
    assertThat(acked.status()).as(acked.body()).isEqualTo(200);
    assertThat(acked.json().get("acknowledged")).hasSize(2);
    ApiClient.Response inbox = api.send("GET", "/api/inbox", Optional.of(key), "");
    assertThat(inbox.json().get("events")).hasSize(1);
    assertThat(inbox.json().get("events").get(0).get("id").asText()).isEqualTo(ids.get(2));
  }

  @Test
  void theEndpointAndDeliveryRoutesAnswer503WhilePostgresIsDown() throws Exception {
    // given one node, an organization with an endpoint (paused, so nothing is sent) and an event
    TriggersApplication server =
        SingleNode.start(postgres.getJdbcUrl("postgres", "postgres"), dataDir);
    nodes.add(server::stop);
    ApiClient api = new ApiClient(server.port());
    String key = api.newApiKey("pro");
    ApiClient.Response created =
        api.send("POST", "/api/endpoints", Optional.of(key), "{\"url\":\"" + PUBLIC_URL + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String endpoint = "/api/endpoints/" + created.json().get("id").asText();
    ApiClient.Response paused =
        api.send("PATCH", endpoint, Optional.of(key), "{\"status\":\"paused\"}");
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    String event = "/api/events/" + api.ingest(key, "order.created");

    // when PostgreSQL stops
    postgres.close();
    postgres = null;
    Eventually.await(PATIENCE, () -> postgresDetail(api).equals("unreachable"));

    // then every route that reads or changes endpoints or deliveries answers 503 with
    // Retry-After, never a 500 or a hang
    String toEndpoint = "{\"endpoint_id\":\"" + created.json().get("id").asText() + "\"}";
    Map<String, ApiClient.Response> answers = new TreeMap<>();
    answers.put("list", api.send("GET", "/api/endpoints", Optional.of(key), ""));
    answers.put("get", api.send("GET", endpoint, Optional.of(key), ""));
    answers.put(
        "create",
        api.send("POST", "/api/endpoints", Optional.of(key), "{\"url\":\"" + PUBLIC_URL + "\"}"));
    answers.put("patch", api.send("PATCH", endpoint, Optional.of(key), "{\"status\":\"enabled\"}"));
    answers.put(
        "recover",
        api.send(
            "POST",
            endpoint + "/recover",
            Optional.of(key),
            "{\"since\":\"2026-01-01T00:00:00Z\"}"));
    answers.put("attempts", api.send("GET", event + "/attempts", Optional.of(key), ""));
    answers.put("redeliver", api.send("POST", event + "/redeliver", Optional.of(key), ""));
    answers.put(
        "redeliver to one", api.send("POST", event + "/redeliver", Optional.of(key), toEndpoint));
    answers.put(
        "webhook config",
        api.send(
            "POST",
            "/api/webhook/config",
            Optional.of(key),
            "{\"webhook_url\":\"" + PUBLIC_URL + "\"}"));
    answers.put("delete", api.send("DELETE", endpoint, Optional.of(key), ""));
    answers.forEach(
        (route, answer) -> {
          assertThat(answer.status()).as("%s: %s", route, answer.body()).isEqualTo(503);
          assertThat(answer.header("Retry-After")).as("%s Retry-After", route).isNotNull();
        });
  }

  /**
   * Starts a cluster node; a node needs Redis at start, and on a busy machine its first connection
   * may time out, which is not what this test is about.
   */
  private static ClusterNode startNode(String databaseUrl, String redisUrl) {
    for (int attempt = 1; ; attempt++) {
      try {
        return ClusterNode.start(databaseUrl, redisUrl, Clock.systemUTC());
      } catch (RedisUnavailableException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Runs clients against the nodes while PostgreSQL is stopped and started again, and checks what
   * they were told against what was stored.
   */
  private void survivesAnOutage(String mode, List<ApiClient> apis) throws Exception {
    String apiKey = apis.get(0).newApiKey("enterprise");
    Load load = new Load(apis, apiKey);
    long startedAt = System.nanoTime();
    load.start();
    List<Answer> knownDown;
    List<Answer> beforeOutage;
    try {
      load.awaitMore(RESPONSES_PER_PHASE);
      beforeOutage = load.answersSince(startedAt);

      // when PostgreSQL stops under load
      int port = postgres.getPort();
      long stoppedAt = System.nanoTime();
      postgres.close();
      postgres = null;

      // then every node soon says why it is not ready, and refuses ingest with 503s
      for (ApiClient api : apis) {
        Eventually.await(PATIENCE, () -> postgresDetail(api).equals("unreachable"));
        assertThat(postgresUp(api)).as("triggers_postgres_up while down").isEqualTo(0);
      }
      long knownDownAt = System.nanoTime();
      load.awaitMore(RESPONSES_PER_PHASE);
      knownDown = load.answersSince(knownDownAt);
      long slowest =
          load.answers.stream()
              .filter(a -> a.sentAt() - knownDownAt < 0 && a.status() == 503)
              .mapToLong(Answer::micros)
              .max()
              .orElse(0);
      System.out.printf(
          "postgres outage (%s): slowest 503 sent before the node knew: %.1f ms%n",
          mode, slowest / 1000.0);

      // when it is back on the same port and data
      postgres = ExternalPostgres.start(databaseDir, port);
      long restartedAt = System.nanoTime();

      // then the same nodes accept events again
      load.awaitAcceptedSince(restartedAt, RESPONSES_PER_PHASE);
      System.out.printf(
          "postgres outage (%s): known down after %d ms; back to 202s %d ms after the restart%n",
          mode,
          (knownDownAt - stoppedAt) / 1_000_000,
          (load.firstAcceptedSince(restartedAt) - restartedAt) / 1_000_000);
      for (ApiClient api : apis) {
        Eventually.await(PATIENCE, () -> api.get("/health/ready").status() == 200);
        Eventually.await(PATIENCE, () -> postgresUp(api) == 1);
      }
    } finally {
      load.stop();
    }

    // then the answers were 202s and 503s only, each 503 with Retry-After, none a timeout
    assertThat(load.failures).as("requests without an answer").isEmpty();
    Map<Integer, Integer> statuses = load.statuses();
    assertThat(statuses).containsOnlyKeys(202, 503);
    assertThat(knownDown).isNotEmpty().allMatch(answer -> answer.status() == 503);
    for (Answer answer : load.answers) {
      if (answer.status() == 503) {
        assertThat(answer.retryAfter()).as("Retry-After of a 503").isPresent();
      }
    }
    report(mode + ", 202s before the outage", beforeOutage);
    report(mode + ", 503s once known down", knownDown);
    System.out.printf("postgres outage (%s): statuses %s%n", mode, statuses);

    // and every event answered 202 can be read back
    for (Answer answer : load.answers) {
      if (answer.status() == 202) {
        ApiClient.Response found =
            apis.get(0).getWithKey("/api/events/" + answer.eventId(), apiKey);
        assertThat(found.status()).as("event %s", answer.eventId()).isEqualTo(200);
      }
    }
  }

  /** What the node's {@code triggers_postgres_up} says, or -1 if the scrape lacks it. */
  private static double postgresUp(ApiClient api) {
    return api.get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("triggers_postgres_up "))
        .mapToDouble(line -> Double.parseDouble(line.substring("triggers_postgres_up ".length())))
        .findFirst()
        .orElse(-1);
  }

  /** The detail the node's readiness gives for PostgreSQL. */
  private static String postgresDetail(ApiClient api) {
    ApiClient.Response ready = api.get("/health/ready");
    return ApiClient.json(ready.body()).path("checks").path("postgres").path("detail").asText();
  }

  /** Prints the measured latencies; timings are reported, never asserted. */
  private static void report(String what, List<Answer> answers) {
    List<Long> micros = new ArrayList<>(answers.stream().map(Answer::micros).toList());
    Collections.sort(micros);
    Function<Double, Long> at =
        q -> micros.get((int) Math.min(micros.size() - 1, q * micros.size()));
    System.out.printf(
        "postgres outage (%s): %d answers, latency median %.1f ms, p99 %.1f ms, max %.1f ms%n",
        what,
        micros.size(),
        at.apply(0.5) / 1000.0,
        at.apply(0.99) / 1000.0,
        micros.getLast() / 1000.0);
  }

  /** One answer: when its request was sent, how long it took, its status and what it said. */
  private record Answer(
      long sentAt, long micros, int status, Optional<String> retryAfter, String eventId) {}

  /** Clients that each send one event after another to one of the nodes. */
  private static final class Load {

    private final String apiKey;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients;

    Load(List<ApiClient> apis, String apiKey) {
      this.apiKey = apiKey;
      this.clients =
          IntStream.range(0, CLIENTS)
              .mapToObj(i -> Thread.ofVirtual().unstarted(() -> send(apis.get(i % apis.size()))))
              .toList();
    }

    void start() {
      clients.forEach(Thread::start);
    }

    void awaitMore(int responses) {
      int target = count.get() + responses;
      Eventually.await(PATIENCE, () -> count.get() >= target);
    }

    void awaitAcceptedSince(long since, int responses) {
      Eventually.await(
          PATIENCE,
          () ->
              answers.stream().filter(a -> a.sentAt() - since >= 0 && a.status() == 202).count()
                  >= responses);
    }

    long firstAcceptedSince(long since) {
      return answers.stream()
          .filter(a -> a.sentAt() - since >= 0 && a.status() == 202)
          .mapToLong(a -> a.sentAt() + a.micros() * 1_000)
          .min()
          .orElseThrow();
    }

    List<Answer> answersSince(long since) {
      return answers.stream().filter(a -> a.sentAt() - since >= 0).toList();
    }

    Map<Integer, Integer> statuses() {
      Map<Integer, Integer> statuses = new TreeMap<>();
      answers.forEach(answer -> statuses.merge(answer.status(), 1, Integer::sum));
      return statuses;
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread client : clients) {
        assertThat(client.join(PATIENCE)).as("client stopped").isTrue();
      }
    }

    private void send(ApiClient api) {
      while (running.get()) {
        long sentAt = System.nanoTime();
        try {
          ApiClient.Response response = api.ingest(apiKey, Optional.empty());
          long micros = (System.nanoTime() - sentAt) / 1_000;
          answers.add(
              new Answer(
                  sentAt,
                  micros,
                  response.status(),
                  response.headers().firstValue("Retry-After"),
                  response.status() == 202 ? ApiClient.text(response.body(), "id") : ""));
        } catch (RuntimeException e) {
          failures.add(e);
        }
        count.incrementAndGet();
        try {
          Thread.sleep(PAUSE);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}

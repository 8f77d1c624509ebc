package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.adapters.redis.TestRedis;
import io.triggers.core.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster's Redis failing: killed under load (the test server stops with SIGKILL), and down when
 * a node starts. Ingest keeps answering 202, every event that got one is stored, and deliveries
 * resume once Redis is back.
 */
class RedisFaultIT {

  private static final Duration PATIENCE = Duration.ofSeconds(45);

  /** Webhooks go to a receiver on this machine. */
  private static final Map<String, String> PRIVATE_TARGETS =
      Map.of("TRIGGERS_WEBHOOK_ALLOW_PRIVATE", "true");

  private final List<ClusterNode> nodes = new ArrayList<>();
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private String database;
  private TestRedis.Server redis;
  private WebhookReceiver receiver;

  @BeforeEach
  void startRedisAndAReceiver() {
    database = TestDatabase.freshSchemaUrl();
    redis = TestRedis.start();
    receiver = new WebhookReceiver();
    receiver.answer(request -> WebhookReceiver.Answer.status(200));
  }

  @AfterEach
  void stopEverything() {
    nodes.forEach(ClusterNode::close);
    redis.stop();
    receiver.close();
  }

  @Test
  void aNodeStartedWhileRedisIsDownServesDegradedAndConnectsOnceRedisStarts() {
    // given Redis is down
    redis.stop();

    // when a node starts
    ClusterNode node = start();

    // then it is ready, with Redis degraded, and serves
    assertThat(node.readiness("redis")).isEqualTo("200 degraded");
    String key = node.newApiKey("pro");
    node.api().configureWebhook(key, receiver.url("/hooks"));
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      accepted.add(node.api().ingest(key, "order.created"));
    }
    ApiClient.Response first = node.ingest(key, Optional.of("order-7"));
    ApiClient.Response again = node.ingest(key, Optional.of("order-7"));
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(again.status()).as("a duplicate, found by PostgreSQL").isEqualTo(409);
    accepted.add(text(first.body(), "id"));

    // when Redis starts
    redis.start();

    // then the node connects by itself, and every event is stored and delivered
    await(PATIENCE, () -> node.readiness("redis").equals("200 up"));
    for (int i = 0; i < 20; i++) {
      accepted.add(node.api().ingest(key, "order.created"));
    }
    accepted.forEach(id -> node.api().event(key, id));
    awaitDelivered(accepted);
  }

  @Test
  void ingestKeepsAnswering202AndDeliveriesResumeWhenRedisIsKilledUnderLoad() throws Exception {
    // given two nodes, and clients sending to both
    ClusterNode nodeA = start();
    ClusterNode nodeB = start();
    List<String> keys = List.of(nodeA.newApiKey("enterprise"), nodeA.newApiKey("enterprise"));
    for (String key : keys) {
      nodeA.api().configureWebhook(key, receiver.url("/hooks"));
    }
    Load load = new Load(List.of(nodeA, nodeB), keys);
    load.start();
    try {
      load.awaitMore(100);

      // when Redis is killed under load
      redis.stop();
      load.awaitMore(100);

      // then both nodes stay ready, reporting Redis degraded
      assertThat(nodeA.readiness("redis")).isEqualTo("200 degraded");
      assertThat(nodeB.readiness("redis")).isEqualTo("200 degraded");

      // when it comes back, empty
      redis.start();
      await(PATIENCE, () -> nodeA.readiness("redis").equals("200 up"));
      await(PATIENCE, () -> nodeB.readiness("redis").equals("200 up"));
      load.awaitMore(100);
    } finally {
      load.stop();
    }

    // then every answer was an acceptance, and every accepted event is stored and delivered
    assertThat(load.failures.get()).as("requests without an answer").isZero();
    assertThat(load.statuses()).containsOnlyKeys(202);
    assertThat(TestDatabase.count(database, "SELECT count(*) FROM events"))
        .isEqualTo(load.accepted.size());
    for (Load.Accepted event : load.accepted) {
      nodeB.api().event(event.key(), event.id());
    }
    awaitDelivered(load.accepted.stream().map(Load.Accepted::id).toList());
  }

  private ClusterNode start() {
    ClusterNode node = ClusterNode.start(database, redis.url(), Clock.systemUTC(), PRIVATE_TARGETS);
    nodes.add(node);
    return node;
  }

  /** Waits until the receiver got every one of {@code ids}, in any order, duplicates allowed. */
  private void awaitDelivered(List<String> ids) {
    await(
        PATIENCE,
        () -> {
          WebhookReceiver.Request request;
          while ((request = receiver.requests().poll()) != null) {
            delivered.add(request.header("webhook-id"));
          }
          return delivered.containsAll(ids);
        });
    assertThat(new HashSet<>(delivered)).containsAll(ids);
  }

  /** Clients that each send one event after another, spread over the nodes. */
  private static final class Load {

    private static final int CLIENTS = 32;

    record Accepted(String key, String id) {}

    private final List<ClusterNode> nodes;
    private final List<String> keys;
    private final ConcurrentMap<Integer, AtomicLong> counts = new ConcurrentHashMap<>();
    private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger responses = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients;

    Load(List<ClusterNode> nodes, List<String> keys) {
      this.nodes = nodes;
      this.keys = keys;
      this.clients =
          IntStream.range(0, CLIENTS)
              .mapToObj(i -> Thread.ofVirtual().unstarted(() -> send(i)))
              .toList();
    }

    void start() {
      clients.forEach(Thread::start);
    }

    void awaitMore(int count) {
      int target = responses.get() + count;
      await(PATIENCE, () -> responses.get() >= target);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread client : clients) {
        assertThat(client.join(PATIENCE)).as("client stopped").isTrue();
      }
    }

    Map<Integer, Long> statuses() {
      Map<Integer, Long> statuses = new TreeMap<>();
      counts.forEach((status, count) -> statuses.put(status, count.get()));
      return statuses;
    }

    private void send(int client) {
      ClusterNode node = nodes.get(client % nodes.size());
      String key = keys.get((client / nodes.size()) % keys.size());
      while (running.get()) {
        try {
          ApiClient.Response response = node.ingest(key, Optional.empty());
          counts.computeIfAbsent(response.status(), status -> new AtomicLong()).incrementAndGet();
          if (response.status() == 202) {
            accepted.add(new Accepted(key, text(response.body(), "id")));
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
        responses.incrementAndGet();
      }
    }
  }
}

package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.adapters.redis.TestRedis;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes keep ingesting while their Redis is stopped, started again empty, and flushed: no event
 * is lost, none is answered with a 5xx, and readiness reports Redis degraded, not down.
 */
class ClusterRedisOutageIT {

  /** Concurrent clients, spread over both nodes. */
  private static final int CLIENTS = 128;

  /** Responses to wait for in each phase of the outage. */
  private static final int RESPONSES_PER_PHASE = 150;

  /** Dedup ids are drawn from a small set per organization, so that real duplicates occur. */
  private static final int DEDUP_IDS = 40;

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

  private String database;
  private TestRedis.Server redis;
  private ClusterNode nodeA;
  private ClusterNode nodeB;

  @BeforeEach
  void startTwoNodesOnARedisOfTheirOwn() {
    database = TestDatabase.freshSchemaUrl();
    redis = TestRedis.start();
    nodeA = ClusterNode.start(database, redis.url(), clock);
    nodeB = ClusterNode.start(database, redis.url(), clock);
  }

  @AfterEach
  void stopEverything() {
    nodeB.close();
    nodeA.close();
    redis.stop();
  }

  @Test
  void losesNoEventAndAnswersNo5xxWhileRedisIsStoppedRestartedAndFlushed() throws Exception {
    // given organizations with room for everything this test sends, and clients sending to both
    List<String> keys = IntStream.range(0, 4).mapToObj(i -> nodeA.newApiKey("enterprise")).toList();
    Load load = new Load(keys);
    load.start();
    try {
      load.awaitMore(RESPONSES_PER_PHASE);
      assertThat(nodeA.metric("triggers_redis_degraded")).isEqualTo(0);

      // when Redis stops under load
      redis.stop();
      load.awaitMore(RESPONSES_PER_PHASE);

      // then both nodes stay ready, reporting Redis degraded, in readiness and in their metrics
      assertThat(nodeA.readiness("redis")).isEqualTo("200 degraded");
      assertThat(nodeB.readiness("redis")).isEqualTo("200 degraded");
      assertThat(nodeA.metric("triggers_redis_degraded")).isEqualTo(1);
      assertThat(nodeB.metric("triggers_redis_degraded")).isEqualTo(1);

      // when it comes back empty, and is flushed once more after the nodes reconnected
      redis.start();
      awaitUntil(() -> nodeA.readiness("redis").equals("200 up"));
      awaitUntil(() -> nodeB.readiness("redis").equals("200 up"));
      load.awaitMore(RESPONSES_PER_PHASE);
      awaitUntil(() -> nodeA.metric("triggers_redis_degraded") == 0);
      awaitUntil(() -> nodeB.metric("triggers_redis_degraded") == 0);
      redis.flushAll();
      load.awaitMore(RESPONSES_PER_PHASE);
    } finally {
      load.stop();
    }

    // then every answer was an acceptance or a true duplicate, and every acceptance is stored
    assertThat(load.failures.get()).as("requests without an answer").isZero();
    Map<Integer, Long> statuses = load.statuses();
    assertThat(statuses).containsOnlyKeys(202, 409);
    assertThat(TestDatabase.count(database, "SELECT count(*) FROM events"))
        .isEqualTo(statuses.get(202));
  }

  /** Clients that each send one event after another, half of them with a dedup id. */
  private final class Load {

    private final List<String> keys;
    private final ConcurrentMap<Integer, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicInteger responses = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients;

    Load(List<String> keys) {
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
      awaitUntil(() -> responses.get() >= target);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread client : clients) {
        assertThat(client.join(PATIENCE)).as("client stopped").isTrue();
      }
    }

    /** How many answers had each status. */
    Map<Integer, Long> statuses() {
      Map<Integer, Long> statuses = new TreeMap<>();
      counts.forEach((status, count) -> statuses.put(status, count.get()));
      return statuses;
    }

    private void send(int client) {
      ClusterNode node = client % 2 == 0 ? nodeA : nodeB;
      while (running.get()) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String key = keys.get(random.nextInt(keys.size()));
        Optional<String> dedupId =
            random.nextBoolean()
                ? Optional.of("order-" + random.nextInt(DEDUP_IDS))
                : Optional.empty();
        try {
          ApiClient.Response response = node.ingest(key, dedupId);
          counts.computeIfAbsent(response.status(), status -> new AtomicLong()).incrementAndGet();
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
        responses.incrementAndGet();
      }
    }
  }

  /** Polls, since reconnecting happens in the background; fails after a generous while. */
  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited too long").isNegative();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

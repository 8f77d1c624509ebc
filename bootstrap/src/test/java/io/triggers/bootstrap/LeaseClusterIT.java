package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.adapters.redis.TestRedis;
import io.triggers.core.testing.Concurrently;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pull consumers on two nodes of one cluster: leases shared through PostgreSQL hand each event to
 * one consumer at a time, and a node that goes away holding leases loses none of their events.
 */
class LeaseClusterIT {

  private static final int EVENTS = 20_000;
  private static final int CONSUMERS = 16;
  private static final int BATCH = 100;

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private String database;
  private ClusterNode nodeA;
  private ClusterNode nodeB;

  @BeforeEach
  void startTwoNodes() {
    database = TestDatabase.freshSchemaUrl();
    String redis = TestRedis.url();
    nodeA = ClusterNode.start(database, redis, clock);
    nodeB = ClusterNode.start(database, redis, clock);
  }

  @AfterEach
  void stopNodes() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
  }

  @Test
  void sixteenConsumersOnTwoNodesAckEveryEventExactlyOnceAndNeverShareOne() throws Exception {
    // given
    String key = nodeA.newApiKey("enterprise");
    Set<String> ingested = ingest(nodeA, key, EVENTS);
    ConcurrentMap<String, Integer> leased = new ConcurrentHashMap<>();
    ConcurrentMap<String, Integer> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger refusedAcks = new AtomicInteger();

    // when
    Concurrently.run(
        CONSUMERS,
        consumer -> {
          ClusterNode node = consumer % 2 == 0 ? nodeA : nodeB;
          int idle = 0;
          while (acknowledged.size() < EVENTS && idle < 200) {
            JsonNode lease =
                node.post("/api/inbox/lease", Optional.of(key), "{\"limit\":50}").json();
            List<String> ids = ids(lease.get("events"));
            if (ids.isEmpty()) {
              idle++;
              sleep(Duration.ofMillis(20));
              continue;
            }
            idle = 0;
            // No lease runs out (the clock stands still) and none is released, so an event
            // leased twice would have been in two live leases at once.
            ids.forEach(id -> leased.merge(id, 1, Integer::sum));
            ApiClient.Response ack =
                node.post(
                    "/api/inbox/leases/" + lease.get("lease_id").asText() + "/ack",
                    Optional.of(key),
                    "{}");
            assertThat(ack.status()).isEqualTo(200);
            refusedAcks.addAndGet(ack.json().get("expired").size());
            ids(ack.json().get("acknowledged"))
                .forEach(id -> acknowledged.merge(id, 1, Integer::sum));
          }
          return null;
        });

    // then
    assertThat(leased.keySet()).containsExactlyInAnyOrderElementsOf(ingested);
    assertThat(leased.values()).allMatch(times -> times == 1);
    assertThat(refusedAcks).hasValue(0);
    assertThat(acknowledged.keySet()).containsExactlyInAnyOrderElementsOf(ingested);
    assertThat(acknowledged.values()).allMatch(times -> times == 1);
    assertThat(
            TestDatabase.count(
                database, "SELECT count(*) FROM events WHERE delivery_status <> 'delivered'"))
        .isZero();
    assertThat(TestDatabase.count(database, "SELECT count(*) FROM events WHERE lease_count <> 1"))
        .isZero();
  }

  @Test
  void theLeasesOfANodeThatIsGoneRunOutAndTheirEventsComeBack() {
    // given
    String key = nodeA.newApiKey("enterprise");
    Set<String> ingested = ingest(nodeA, key, 300);
    Set<String> leasedOnA = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      leasedOnA.addAll(
          ids(
              nodeA
                  .post(
                      "/api/inbox/lease", Optional.of(key), "{\"limit\":100,\"lease_seconds\":30}")
                  .json()
                  .get("events")));
    }
    nodeA.close();
    nodeA = null;

    // when
    List<String> tooEarly =
        ids(nodeB.post("/api/inbox/lease", Optional.of(key), "{}").json().get("events"));
    clock.advance(Duration.ofSeconds(30));
    Set<String> leasedOnB = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonNode lease = nodeB.post("/api/inbox/lease", Optional.of(key), "{\"limit\":100}").json();
      leasedOnB.addAll(ids(lease.get("events")));
      nodeB.post(
          "/api/inbox/leases/" + lease.get("lease_id").asText() + "/ack", Optional.of(key), "{}");
    }

    // then
    assertThat(leasedOnA).containsExactlyInAnyOrderElementsOf(ingested);
    assertThat(tooEarly).isEmpty();
    assertThat(leasedOnB).containsExactlyInAnyOrderElementsOf(ingested);
    assertThat(nodeB.get("/api/inbox", Optional.of(key)).json().get("events")).isEmpty();
  }

  /** Ingests {@code count} events in batches and returns their ids. */
  private static Set<String> ingest(ClusterNode node, String key, int count) {
    Set<String> ids = new HashSet<>();
    StringBuilder batch = new StringBuilder();
    for (int sent = 0; sent < count; sent += BATCH) {
      batch.setLength(0);
      batch.append("{\"events\":[");
      for (int i = 0; i < Math.min(BATCH, count - sent); i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"type\":\"job\",\"payload\":{\"n\":")
            .append(sent + i)
            .append("}}");
      }
      batch.append("]}");
      ApiClient.Response accepted =
          node.post("/api/events/batch", Optional.of(key), batch.toString());
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      accepted.json().get("results").forEach(result -> ids.add(result.get("id").asText()));
    }
    assertThat(ids).hasSize(count);
    return ids;
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(
        element -> ids.add(element.isTextual() ? element.asText() : element.get("id").asText()));
    return ids;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

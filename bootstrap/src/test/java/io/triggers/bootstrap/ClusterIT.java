package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.adapters.redis.TestRedis;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL and one Redis behave as one service: one rate limit per organization,
 * one dedup, one set of valid keys.
 *
 * <p>The nodes share a clock that stands still, so that no allowance refills while a test runs and
 * no cached key expires: what the tests see is the sharing, not the passing of time.
 */
class ClusterIT {

  private static final int FREE_LIMIT = 100;

  /**
   * How long node B may take to act on news that Redis has already passed on to it: B hears it on
   * its own I/O thread, which may not have run yet when A's answer reaches the test. A few
   * milliseconds in practice; far below the cached entries' minute, so only the news can explain a
   * refusal within it.
   */
  private static final Duration NEWS_IN_TRANSIT = Duration.ofMillis(500);

  private static final MutableClock CLOCK =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

  private static ClusterNode nodeA;
  private static ClusterNode nodeB;

  @BeforeAll
  static void startTwoNodes() {
    String database = TestDatabase.freshSchemaUrl();
    String redis = TestRedis.url();
    nodeA = ClusterNode.start(database, redis, CLOCK);
    nodeB = ClusterNode.start(database, redis, CLOCK);
  }

  @AfterAll
  static void stopNodes() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
  }

  @Test
  void sharesOneRateLimitPerOrganizationAcrossNodes() {
    // given a free organization, allowed 100 events a minute
    String key = nodeA.newApiKey("free");

    // when its events are spread over both nodes
    for (int i = 0; i < FREE_LIMIT; i++) {
      ClusterNode node = i % 2 == 0 ? nodeA : nodeB;
      assertThat(node.ingest(key, Optional.empty()).status()).as("event %d", i).isEqualTo(202);
    }

    // then the 101st is refused on either node
    ApiClient.Response onA = nodeA.ingest(key, Optional.empty());
    ApiClient.Response onB = nodeB.ingest(key, Optional.empty());
    assertThat(onA.status()).isEqualTo(429);
    assertThat(onB.status()).isEqualTo(429);
    assertThat(onB.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void refusesOnOneNodeADedupIdAcceptedOnTheOther() {
    // given
    String key = nodeA.newApiKey("pro");
    ApiClient.Response accepted = nodeA.ingest(key, Optional.of("order-1042"));
    assertThat(accepted.status()).isEqualTo(202);

    // when
    ApiClient.Response again = nodeB.ingest(key, Optional.of("order-1042"));

    // then
    assertThat(again.status()).isEqualTo(409);
    assertThat(ApiClient.field(again.body(), "error")).isEqualTo("duplicate_event");
    assertThat(ApiClient.field(again.body(), "id"))
        .isEqualTo(ApiClient.field(accepted.body(), "id"));
  }

  @Test
  void refusesOnEveryNodeAKeyRotatedOnOne() throws InterruptedException {
    // given a key that node B has just accepted, and so has cached
    String oldKey = nodeA.newApiKey("pro");
    assertThat(nodeB.get("/api/keys", Optional.of(oldKey)).status()).isEqualTo(200);

    // when
    ApiClient.Response rotated = nodeA.post("/api/keys/rotate", Optional.of(oldKey), "{}");

    // then
    assertThat(rotated.status()).isEqualTo(200);
    String newKey = ApiClient.field(rotated.body(), "api_key");
    assertThat(nodeA.get("/api/keys", Optional.of(oldKey)).status()).isEqualTo(401);
    assertThat(statusOnBWithin(NEWS_IN_TRANSIT, oldKey)).isEqualTo(401);
    assertThat(nodeB.ingest(oldKey, Optional.empty()).status()).isEqualTo(401);
    assertThat(nodeB.ingest(newKey, Optional.empty()).status()).isEqualTo(202);
  }

  @Test
  void reportsRedisUpWhenReady() {
    assertThat(nodeA.readiness("redis")).isEqualTo("200 up");
    assertThat(nodeB.readiness("postgres")).isEqualTo("200 up");
  }

  /** Asks node B with the key until it refuses it or the time is up; returns the last status. */
  private static int statusOnBWithin(Duration patience, String key) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    int status = nodeB.get("/api/keys", Optional.of(key)).status();
    while (status == 200 && System.nanoTime() - deadline < 0) {
      Thread.sleep(5);
      status = nodeB.get("/api/keys", Optional.of(key)).status();
    }
    return status;
  }
}

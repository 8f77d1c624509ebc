package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.Health;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.RateLimiter;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stops and restarts a Redis of its own, which comes back empty as after a loss. */
class RedisOutageIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration NO_WAIT = Duration.ZERO;

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final OrganizationId organization = fixtures.organization().id();
  private final DedupId dedupId = new DedupId("order-1");

  private TestRedis.Server server;
  private RedisConnection redis;
  private RateLimiter limiter;
  private Deduplicator deduplicator;
  private RedisDeliveryQueue queue;
  private HealthCheck health;

  @BeforeEach
  void startRedisAndConnect() {
    server = TestRedis.start();
    redis = RedisConnection.connect(server.url());
    limiter = redis.rateLimiter(clock);
    deduplicator = redis.deduplicator(Duration.ofMinutes(1));
    queue = redis.deliveryQueue(clock, "node-1", Duration.ofSeconds(30), 1_000);
    health = redis.healthCheck();
  }

  @AfterEach
  void disconnectAndStopRedis() {
    redis.close();
    server.stop();
  }

  @Test
  void reportsItselfUpWhileRedisAnswers() {
    // when
    Health report = health.check();

    // then
    assertThat(report).isEqualTo(Health.up());
    assertThat(health.name()).isEqualTo("redis");
  }

  @Test
  void failsWithRedisUnavailableWhileRedisIsDown() throws Exception {
    // given
    limiter.acquire(organization, Tier.FREE, 1);

    // when
    server.stop();

    // then
    assertThatThrownBy(() -> limiter.acquire(organization, Tier.FREE, 1))
        .isInstanceOf(RedisUnavailableException.class)
        .hasCauseInstanceOf(RedisException.class);
    assertThatThrownBy(() -> deduplicator.claim(organization, dedupId, fixtures.eventId()))
        .isInstanceOf(RedisUnavailableException.class)
        .hasCauseInstanceOf(RedisException.class);
    assertThatThrownBy(() -> queue.take(10, Duration.ofSeconds(5)))
        .isInstanceOf(RedisUnavailableException.class)
        .hasCauseInstanceOf(RedisException.class);
  }

  @Test
  void timesOutInsteadOfWaitingForARedisThatHangs() {
    // given: a second client pauses every client's commands, the limiter's and dedup's included
    long pauseMillis = 3 * RedisConnection.COMMAND_TIMEOUT_MILLIS;
    RedisClient client = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      admin.sync().clientPause(pauseMillis);

      // then: each fails after the command timeout, not at the end of the pause
      assertThatThrownBy(() -> limiter.acquire(organization, Tier.FREE, 1))
          .isInstanceOf(RedisUnavailableException.class)
          .hasRootCauseInstanceOf(RedisCommandTimeoutException.class);
      assertThatThrownBy(() -> deduplicator.claim(organization, dedupId, fixtures.eventId()))
          .isInstanceOf(RedisUnavailableException.class)
          .hasRootCauseInstanceOf(RedisCommandTimeoutException.class);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void neitherThrowsFromEnqueueNorFromReleaseWhileRedisIsDown() {
    // given
    server.stop();

    // when
    queue.enqueue(
        new DeliveryTask(
            organization, fixtures.eventId(), fixtures.ids().newEndpointId(), clock.instant()));
    deduplicator.release(organization, dedupId, fixtures.eventId());

    // then
    awaitUntil(() -> queue.droppedTasks() == 1);
  }

  @Test
  void reportsItselfDegradedButNeverDownWhileRedisIsDown() {
    // given
    server.stop();

    // when
    Health report = health.check();

    // then
    assertThat(report.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(report.detail()).isNotBlank();
  }

  @Test
  void worksAgainOnceRedisIsBackWithoutANewConnection() throws Exception {
    // given
    limiter.acquire(organization, Tier.FREE, 100);
    queue.enqueue(
        new DeliveryTask(
            organization, fixtures.eventId(), fixtures.ids().newEndpointId(), clock.instant()));
    queue.take(10, NO_WAIT);
    server.stop();
    awaitUntil(() -> health.check().status() == Health.Status.DEGRADED);

    // when
    server.start();
    awaitUntil(() -> health.check().status() == Health.Status.UP);

    // then the restarted Redis is empty: allowance whole, no claims, no scripts, no group
    assertThat(limiter.acquire(organization, Tier.FREE, 1))
        .isEqualTo(new RateLimit.Allowed(100, 99, Duration.ofMillis(600)));
    EventId claimant = fixtures.eventId();
    assertThat(deduplicator.claim(organization, dedupId, claimant)).isEmpty();
    assertThat(deduplicator.claim(organization, dedupId, fixtures.eventId())).contains(claimant);
    DeliveryTask afterRestart =
        new DeliveryTask(
            organization, fixtures.eventId(), fixtures.ids().newEndpointId(), clock.instant());
    queue.enqueue(afterRestart);
    assertThat(queue.take(10, Duration.ofSeconds(5))).containsExactly(afterRestart);
  }

  @Test
  void startsWithoutARedisThatIsNotThereAndConnectsOnceItStarts() throws Exception {
    // given: a connection made while Redis is down
    redis.close();
    server.stop();
    redis = RedisConnection.connect(server.url());
    limiter = redis.rateLimiter(clock);
    deduplicator = redis.deduplicator(Duration.ofMinutes(1));
    queue = redis.deliveryQueue(clock, "node-1", Duration.ofSeconds(30), 1_000);
    health = redis.healthCheck();

    // then its ports fail as while a connection is lost, and it reports itself degraded
    assertThat(redis.isConnected()).isFalse();
    assertThatThrownBy(() -> limiter.acquire(organization, Tier.FREE, 1))
        .isInstanceOf(RedisUnavailableException.class)
        .hasCauseInstanceOf(RedisException.class);
    assertThatThrownBy(() -> deduplicator.claim(organization, dedupId, fixtures.eventId()))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(
            () ->
                deduplicator.claimAll(
                    organization, List.of(new Deduplicator.Claim(dedupId, fixtures.eventId()))))
        .isInstanceOf(RedisUnavailableException.class);
    assertThatThrownBy(() -> queue.take(10, NO_WAIT)).isInstanceOf(RedisUnavailableException.class);
    queue.enqueue(
        new DeliveryTask(
            organization, fixtures.eventId(), fixtures.ids().newEndpointId(), clock.instant()));
    deduplicator.release(organization, dedupId, fixtures.eventId());
    assertThat(health.check().status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(health.check().detail()).contains("not connected to Redis yet");

    // when Redis starts
    server.start();

    // then the connection is made in the background and every port works
    awaitUntil(() -> health.check().status() == Health.Status.UP);
    assertThat(redis.isConnected()).isTrue();
    assertThat(limiter.acquire(organization, Tier.FREE, 1))
        .isEqualTo(new RateLimit.Allowed(100, 99, Duration.ofMillis(600)));
    EventId claimant = fixtures.eventId();
    assertThat(deduplicator.claim(organization, dedupId, claimant)).isEmpty();
    assertThat(deduplicator.claim(organization, dedupId, fixtures.eventId())).contains(claimant);
    DeliveryTask task =
        new DeliveryTask(
            organization, fixtures.eventId(), fixtures.ids().newEndpointId(), clock.instant());
    queue.enqueue(task);
    assertThat(queue.take(10, Duration.ofSeconds(5))).containsExactly(task);
    awaitUntil(this::waitsForTasksWithoutFailing);
  }

  /** Whether a take with nothing to hand out waits in Redis (on its own connection) and ends. */
  private boolean waitsForTasksWithoutFailing() {
    try {
      return queue.take(10, Duration.ofMillis(100)).isEmpty();
    } catch (RedisUnavailableException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void stillRefusesAMalformedUrl() {
    // when / then
    assertThatThrownBy(() -> RedisConnection.connect("redis://:pass word@localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class);
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

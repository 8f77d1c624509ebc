package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.RateLimiterContract;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisRateLimiterIT extends RateLimiterContract {

  private static RedisConnection redis;

  @BeforeAll
  static void connect() {
    redis = RedisConnection.connect(TestRedis.url());
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @Override
  protected RateLimiter newRateLimiter(MutableClock clock) {
    return redis.rateLimiter(clock);
  }

  @Override
  protected void clearState() {
    TestRedis.flushAll();
  }

  @Test
  void sharesOneAllowanceAmongNodes() {
    // given
    OrganizationId organization = fixtures.organization().id();
    try (RedisConnection otherNode = RedisConnection.connect(TestRedis.url())) {
      RateLimiter here = redis.rateLimiter(clock);
      RateLimiter there = otherNode.rateLimiter(clock);
      here.acquire(organization, Tier.FREE, 60);

      // when
      RateLimit rest = there.acquire(organization, Tier.FREE, 40);

      // then
      assertThat(rest).isEqualTo(new RateLimit.Allowed(100, 0, Duration.ofMinutes(1)));
      assertThat(here.acquire(organization, Tier.FREE, 1)).isInstanceOf(RateLimit.Denied.class);
      assertThat(there.acquire(organization, Tier.FREE, 1)).isInstanceOf(RateLimit.Denied.class);
    }
  }

  @Test
  void answersExactlyAsTheLocalLimiterDoesToTheNanosecond() {
    // given
    RateLimiter remote = redis.rateLimiter(clock);
    RateLimiter local = new LocalRateLimiter(clock);
    List<OrganizationId> organizations =
        List.of(
            fixtures.organization().id(),
            fixtures.organization().id(),
            fixtures.organization().id());
    Tier[] tiers = Tier.values();
    Random random = new Random(42);

    for (int step = 0; step < 2_000; step++) {
      // when
      OrganizationId organization = organizations.get(random.nextInt(organizations.size()));
      Tier tier = tiers[random.nextInt(2)];
      int permits = 1 + random.nextInt(random.nextBoolean() ? 5 : tier.eventsPerMinute() + 10);
      clock.advance(Duration.ofNanos(random.nextLong(1_500_000_000L)));

      // then
      assertThat(remote.acquire(organization, tier, permits))
          .as("step %d", step)
          .isEqualTo(local.acquire(organization, tier, permits));
    }
  }

  @Test
  void reloadsItsScriptAfterRedisForgetsIt() {
    // given
    RateLimiter limiter = redis.rateLimiter(clock);
    OrganizationId organization = fixtures.organization().id();
    limiter.acquire(organization, Tier.FREE, 10);

    // when
    TestRedis.admin().scriptFlush();
    RateLimit afterFlush = limiter.acquire(organization, Tier.FREE, 10);

    // then
    assertThat(afterFlush).isEqualTo(new RateLimit.Allowed(100, 80, Duration.ofSeconds(12)));
    assertThat(TestRedis.admin().scriptExists(RedisRateLimiter.GCRA.sha())).containsExactly(true);
  }

  @Test
  void keepsAnOrganizationsKeyOnlyUntilItsAllowanceIsWhole() {
    // given
    RateLimiter limiter = redis.rateLimiter(clock);
    OrganizationId organization = fixtures.organization().id();

    // when
    limiter.acquire(organization, Tier.FREE, 10);

    // then
    String key = "triggers:rl:{" + organization + "}";
    assertThat(TestRedis.admin().pttl(key)).isBetween(1L, 6_000L);
  }

  @Test
  void refusesToAcquireLessThanOnePermit() {
    // given
    RateLimiter limiter = redis.rateLimiter(clock);

    // when / then
    assertThatThrownBy(() -> limiter.acquire(fixtures.organization().id(), Tier.FREE, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

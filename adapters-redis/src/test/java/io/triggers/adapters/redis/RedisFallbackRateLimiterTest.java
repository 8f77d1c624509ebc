package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.RateLimiterContract;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RedisFallbackRateLimiterTest extends RateLimiterContract {

  private static final int FREE_LIMIT = Tier.FREE.eventsPerMinute();

  private final AtomicLong nanoTime = new AtomicLong();
  private final RedisLike shared = new RedisLike(new LocalRateLimiter(clock));
  private final LocalRateLimiter local = new LocalRateLimiter(clock);
  private final RedisFallbackRateLimiter limiter =
      new RedisFallbackRateLimiter(shared, local, nanoTime::get);
  private final OrganizationId organization = fixtures.organization().id();

  /** While Redis answers, the decorator must decide exactly as the shared limiter would. */
  @Override
  protected RateLimiter newRateLimiter(MutableClock clock) {
    return new RedisFallbackRateLimiter(
        new LocalRateLimiter(clock), new LocalRateLimiter(clock), nanoTime::get);
  }

  @Test
  void spendsTheSharedAllowanceWhileRedisAnswers() {
    // when
    limiter.acquire(organization, Tier.FREE, FREE_LIMIT);

    // then
    assertThat(shared.acquire(organization, Tier.FREE, 1)).isInstanceOf(RateLimit.Denied.class);
    assertThat(local.acquire(organization, Tier.FREE, FREE_LIMIT))
        .isInstanceOf(RateLimit.Allowed.class);
  }

  @Test
  void countsOnThisNodeAloneWhileRedisFails() {
    // given
    limiter.acquire(organization, Tier.FREE, FREE_LIMIT);
    shared.failing = true;

    // when
    RateLimit decision = limiter.acquire(organization, Tier.FREE, FREE_LIMIT);

    // then
    assertThat(decision).isInstanceOf(RateLimit.Allowed.class);
    assertThat(limiter.acquire(organization, Tier.FREE, 1)).isInstanceOf(RateLimit.Denied.class);
  }

  @Test
  void saysItIsFallingBackFromTheFirstFailureUntilRedisAnswersAgain() {
    // given
    limiter.acquire(organization, Tier.FREE, 1);
    boolean beforeFailure = limiter.isFallingBack();
    shared.failing = true;

    // when
    limiter.acquire(organization, Tier.FREE, 1);
    boolean whileFailing = limiter.isFallingBack();
    shared.failing = false;
    nanoTime.addAndGet(RedisOutage.RETRY_INTERVAL.toNanos());
    limiter.acquire(organization, Tier.FREE, 1);

    // then
    assertThat(beforeFailure).isFalse();
    assertThat(whileFailing).isTrue();
    assertThat(limiter.isFallingBack()).isFalse();
  }

  @Test
  void asksRedisOncePerRetryIntervalWhileItFails() {
    // given
    shared.failing = true;
    limiter.acquire(organization, Tier.FREE, 1);
    int askedWhenItFailed = shared.calls.get();

    // when
    for (int i = 0; i < 10; i++) {
      limiter.acquire(organization, Tier.FREE, 1);
    }
    int askedWithinTheInterval = shared.calls.get() - askedWhenItFailed;
    nanoTime.addAndGet(RedisOutage.RETRY_INTERVAL.toNanos());
    for (int i = 0; i < 10; i++) {
      limiter.acquire(organization, Tier.FREE, 1);
    }

    // then
    assertThat(askedWhenItFailed).isEqualTo(1);
    assertThat(askedWithinTheInterval).isZero();
    assertThat(shared.calls.get()).isEqualTo(2);
  }

  @Test
  void goesBackToTheSharedAllowanceOnceRedisAnswersAgain() {
    // given
    shared.failing = true;
    limiter.acquire(organization, Tier.FREE, FREE_LIMIT);
    shared.failing = false;
    nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());

    // when
    RateLimit first = limiter.acquire(organization, Tier.FREE, FREE_LIMIT);
    RateLimit second = limiter.acquire(organization, Tier.FREE, 1);

    // then
    assertThat(first).isInstanceOf(RateLimit.Allowed.class);
    assertThat(second).isInstanceOf(RateLimit.Denied.class);
    assertThat(shared.calls.get()).isEqualTo(3);
  }

  /** A limiter that fails as the Redis one does while {@link #failing} is set. */
  private static final class RedisLike implements RateLimiter {

    private final RateLimiter working;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;

    RedisLike(RateLimiter working) {
      this.working = working;
    }

    @Override
    public RateLimit acquire(OrganizationId organization, Tier tier, int permits) {
      calls.incrementAndGet();
      if (failing) {
        throw new RedisUnavailableException(
            "Redis could not decide a rate limit", new ConnectException("Connection refused"));
      }
      return working.acquire(organization, tier, permits);
    }
  }
}

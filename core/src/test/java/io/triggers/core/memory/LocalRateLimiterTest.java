package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.RateLimiterContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest extends RateLimiterContract {

  @Override
  protected RateLimiter newRateLimiter(MutableClock clock) {
    return new LocalRateLimiter(clock);
  }

  @Test
  void forgetsOrganizationsWhoseAllowanceIsWholeAgain() {
    // given
    LocalRateLimiter limiter = new LocalRateLimiter(clock);
    OrganizationId idle = fixtures.organization().id();
    limiter.acquire(idle, Tier.FREE, 100);
    clock.advance(Duration.ofSeconds(61));

    // when
    limiter.acquire(fixtures.organization().id(), Tier.FREE, 1);

    // then
    assertThat(limiter.trackedOrganizations()).isEqualTo(1);
    assertThat(limiter.acquire(idle, Tier.FREE, 100)).isInstanceOf(RateLimit.Allowed.class);
  }

  @Test
  void remembersOrganizationsStillRefilling() {
    // given
    LocalRateLimiter limiter = new LocalRateLimiter(clock);
    OrganizationId busy = fixtures.organization().id();
    limiter.acquire(busy, Tier.FREE, 1);
    clock.advance(Duration.ofSeconds(59));
    limiter.acquire(busy, Tier.FREE, 100);

    // when
    clock.advance(Duration.ofSeconds(2));
    limiter.acquire(fixtures.organization().id(), Tier.FREE, 1);

    // then
    assertThat(limiter.trackedOrganizations()).isEqualTo(2);
  }

  @Test
  void refusesToAcquireLessThanOnePermit() {
    // given
    LocalRateLimiter limiter = new LocalRateLimiter(clock);

    // when / then
    assertThatThrownBy(() -> limiter.acquire(fixtures.organization().id(), Tier.FREE, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

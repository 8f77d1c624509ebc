package io.triggers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import io.triggers.core.testing.MutableClock;
import io.triggers.core.testing.RateLimiterContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The host's own rate limiter passes the same contract as Triggers' own limiters. */
class CountingRateLimiterTest extends RateLimiterContract {

  @Override
  protected RateLimiter newRateLimiter(MutableClock clock) {
    return new CountingRateLimiter(new LocalRateLimiter(clock));
  }

  @Test
  void countsTheRequestsItsDelegateRefusesPerOrganization() {
    OrganizationId busy = new OrganizationId(UUID.randomUUID());
    OrganizationId quiet = new OrganizationId(UUID.randomUUID());
    CountingRateLimiter limiter =
        new CountingRateLimiter(
            (organization, tier, permits) ->
                organization.equals(busy)
                    ? new RateLimit.Denied(1, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    : new RateLimit.Allowed(1, 0, Duration.ofSeconds(1)));

    limiter.acquire(busy, Tier.FREE, 1);
    limiter.acquire(busy, Tier.FREE, 1);
    limiter.acquire(quiet, Tier.FREE, 1);

    assertThat(limiter.denied(busy)).isEqualTo(2);
    assertThat(limiter.denied(quiet)).isZero();
  }
}

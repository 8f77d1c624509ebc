package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.RateLimiter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} must do; extend it with a factory for the implementation. Time is
 * driven by a {@link MutableClock}, so the implementation must read the time from the clock it is
 * given. The free tier allows 100 events a minute: one every 600 ms.
 */
public abstract class RateLimiterContract {

  private static final Tier TIER = Tier.FREE;
  private static final int LIMIT = TIER.eventsPerMinute();
  private static final Duration INTERVAL = Duration.ofMillis(600);

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private RateLimiter limiter;

  /** The implementation under test reading {@code clock}; called after {@link #clearState()}. */
  protected abstract RateLimiter newRateLimiter(MutableClock clock) throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  @BeforeEach
  final void createLimiter() throws Exception {
    clearState();
    limiter = newRateLimiter(clock);
  }

  @Test
  void letsAFreshOrganizationSpendItsWholeMinuteAtOnce() {
    // given
    OrganizationId organization = organization();

    // when
    long allowed = acquireOneByOne(organization, LIMIT + 1);

    // then
    assertThat(allowed).isEqualTo(LIMIT);
  }

  @Test
  void countsTheRemainingAllowanceDown() {
    // given
    OrganizationId organization = organization();

    // when
    RateLimit first = limiter.acquire(organization, TIER, 1);
    RateLimit batch = limiter.acquire(organization, TIER, 9);

    // then
    assertThat(first).isEqualTo(new RateLimit.Allowed(LIMIT, 99, INTERVAL));
    assertThat(batch).isEqualTo(new RateLimit.Allowed(LIMIT, 90, INTERVAL.multipliedBy(10)));
  }

  @Test
  void reportsTheTiersAllowanceAsTheLimit() {
    // when
    RateLimit pro = limiter.acquire(organization(), Tier.PRO, 1);
    RateLimit enterprise = limiter.acquire(organization(), Tier.ENTERPRISE, 1);

    // then
    assertThat(pro.limit()).isEqualTo(1_000);
    assertThat(enterprise.limit()).isEqualTo(100_000);
  }

  @Test
  void takesABatchWholeWhenItFits() {
    // given
    OrganizationId organization = organization();

    // when
    RateLimit first = limiter.acquire(organization, TIER, 40);
    RateLimit second = limiter.acquire(organization, TIER, 60);
    RateLimit third = limiter.acquire(organization, TIER, 1);

    // then
    assertThat(first).isInstanceOf(RateLimit.Allowed.class);
    assertThat(second).isEqualTo(new RateLimit.Allowed(LIMIT, 0, Duration.ofMinutes(1)));
    assertThat(third).isInstanceOf(RateLimit.Denied.class);
  }

  @Test
  void deniedCallSpendsNothing() {
    // given
    OrganizationId organization = organization();
    limiter.acquire(organization, TIER, 95);

    // when
    RateLimit tooMany = limiter.acquire(organization, TIER, 10);

    // then
    assertThat(tooMany).isInstanceOf(RateLimit.Denied.class);
    assertThat(limiter.acquire(organization, TIER, 5))
        .isEqualTo(new RateLimit.Allowed(LIMIT, 0, Duration.ofMinutes(1)));
    assertThat(limiter.acquire(organization, TIER, 1)).isInstanceOf(RateLimit.Denied.class);
  }

  @Test
  void refillsOneEventPerEmissionInterval() {
    // given
    OrganizationId organization = organization();
    limiter.acquire(organization, TIER, LIMIT);

    // when
    clock.advance(INTERVAL);

    // then
    assertThat(limiter.acquire(organization, TIER, 1))
        .isEqualTo(new RateLimit.Allowed(LIMIT, 0, Duration.ofMinutes(1)));
    assertThat(limiter.acquire(organization, TIER, 1)).isInstanceOf(RateLimit.Denied.class);
  }

  @Test
  void refillsEvenlyRatherThanAllAtOnce() {
    // given
    OrganizationId organization = organization();
    limiter.acquire(organization, TIER, LIMIT);

    // when
    clock.advance(Duration.ofSeconds(30));

    // then
    assertThat(acquireOneByOne(organization, LIMIT)).isEqualTo(LIMIT / 2);
  }

  @Test
  void neverHoldsMoreThanOneMinutesAllowance() {
    // given
    OrganizationId organization = organization();
    limiter.acquire(organization, TIER, LIMIT);

    // when
    clock.advance(Duration.ofMinutes(10));

    // then
    assertThat(acquireOneByOne(organization, LIMIT + 1)).isEqualTo(LIMIT);
  }

  @Test
  void saysHowLongUntilTheAskedEventsFit() {
    // given
    OrganizationId organization = organization();
    limiter.acquire(organization, TIER, LIMIT);

    // when
    RateLimit denied = limiter.acquire(organization, TIER, 3);

    // then
    assertThat(denied)
        .isEqualTo(new RateLimit.Denied(LIMIT, INTERVAL.multipliedBy(3), Duration.ofMinutes(1)));
    clock.advance(INTERVAL.multipliedBy(2));
    assertThat(limiter.acquire(organization, TIER, 3)).isInstanceOf(RateLimit.Denied.class);
    clock.advance(INTERVAL);
    assertThat(limiter.acquire(organization, TIER, 3)).isInstanceOf(RateLimit.Allowed.class);
  }

  @Test
  void saysHowLongUntilTheAllowanceIsWhole() {
    // given
    OrganizationId organization = organization();
    limiter.acquire(organization, TIER, 50);

    // when
    clock.advance(Duration.ofSeconds(6));
    RateLimit allowed = limiter.acquire(organization, TIER, 10);

    // then
    assertThat(allowed).isEqualTo(new RateLimit.Allowed(LIMIT, 50, Duration.ofSeconds(30)));
  }

  @Test
  void deniesMoreThanAWholeMinuteWithoutSpending() {
    // given
    OrganizationId organization = organization();

    // when
    RateLimit denied = limiter.acquire(organization, TIER, LIMIT + 1);

    // then
    assertThat(denied).isInstanceOf(RateLimit.Denied.class);
    assertThat(((RateLimit.Denied) denied).retryAfter()).isPositive();
    assertThat(limiter.acquire(organization, TIER, LIMIT)).isInstanceOf(RateLimit.Allowed.class);
  }

  @Test
  void limitsEachOrganizationSeparately() {
    // given
    OrganizationId spender = organization();
    OrganizationId other = organization();
    limiter.acquire(spender, TIER, LIMIT);

    // when
    RateLimit result = limiter.acquire(other, TIER, 1);

    // then
    assertThat(result).isInstanceOf(RateLimit.Allowed.class);
    assertThat(limiter.acquire(spender, TIER, 1)).isInstanceOf(RateLimit.Denied.class);
  }

  @Test
  void givesAHigherTierItsLargerAllowance() {
    // given
    OrganizationId organization = organization();

    // when
    RateLimit whole = limiter.acquire(organization, Tier.PRO, 1_000);
    RateLimit more = limiter.acquire(organization, Tier.PRO, 1);

    // then
    assertThat(whole).isEqualTo(new RateLimit.Allowed(1_000, 0, Duration.ofMinutes(1)));
    assertThat(more)
        .isEqualTo(new RateLimit.Denied(1_000, Duration.ofMillis(60), Duration.ofMinutes(1)));
  }

  @Test
  void neverGrantsMoreThanTheAllowanceToConcurrentCalls() throws Exception {
    // given
    OrganizationId organization = organization();

    // when
    List<Long> allowed = Concurrently.run(10, i -> acquireOneByOne(organization, 25));

    // then
    assertThat(allowed.stream().mapToLong(Long::longValue).sum()).isEqualTo(LIMIT);
  }

  private OrganizationId organization() {
    return fixtures.organization(TIER).id();
  }

  private long acquireOneByOne(OrganizationId organization, int calls) {
    long allowed = 0;
    for (int i = 0; i < calls; i++) {
      if (limiter.acquire(organization, TIER, 1) instanceof RateLimit.Allowed) {
        allowed++;
      }
    }
    return allowed;
  }
}

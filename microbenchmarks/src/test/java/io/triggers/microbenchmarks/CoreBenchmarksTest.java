package io.triggers.microbenchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Tier;
import org.junit.jupiter.api.Test;

/** The core benchmarks take the paths their names promise. */
class CoreBenchmarksTest {

  @Test
  void manyOrganizationsAreAllowedEveryTime() {
    // given
    RateLimiterBenchmark benchmark = new RateLimiterBenchmark();
    benchmark.setUp();
    RoundRobin walk = new RoundRobin();
    RateLimiterBenchmark.Denials denials = new RateLimiterBenchmark.Denials();

    // when
    for (int i = 0; i < 3 * RateLimiterBenchmark.ORGANIZATIONS; i++) {
      benchmark.manyOrganizations(walk, denials);
    }

    // then
    assertThat(denials.denied).isZero();
  }

  @Test
  void oneOrganizationIsDeniedOnceItsMinuteIsSpent() {
    // given
    RateLimiterBenchmark benchmark = new RateLimiterBenchmark();
    benchmark.setUp();
    RateLimiterBenchmark.Denials denials = new RateLimiterBenchmark.Denials();
    int allowance = Tier.ENTERPRISE.eventsPerMinute();

    // when
    for (int i = 0; i < allowance + 10_000; i++) {
      benchmark.oneOrganizationAllThreads(denials);
    }

    // then
    assertThat(denials.denied).isPositive();
  }

  @Test
  void everyPresentedKeyAuthenticates() {
    // given
    AuthenticationBenchmark benchmark = new AuthenticationBenchmark();
    benchmark.setUp();
    RoundRobin walk = new RoundRobin();

    // when / then
    for (int i = 0; i < AuthenticationBenchmark.ORGANIZATIONS; i++) {
      assertThat(benchmark.authenticateCachedKey(walk)).isPresent();
    }
  }

  @Test
  void newIdsAreClaimedEveryTimeRound() {
    // given
    DeduplicatorBenchmark benchmark = new DeduplicatorBenchmark();
    benchmark.setUp();
    RoundRobin walk = new RoundRobin();

    // when / then: twice round the new ids, which the table has forgotten the second time
    for (int i = 0; i < 2 * DeduplicatorBenchmark.NEW_IDS; i++) {
      assertThat(benchmark.claimNewId(walk)).isEmpty();
    }
  }

  @Test
  void heldIdsAreReportedWithTheirHolder() {
    // given
    DeduplicatorBenchmark benchmark = new DeduplicatorBenchmark();
    benchmark.setUp();
    RoundRobin walk = new RoundRobin();

    // when / then
    for (int i = 0; i < DeduplicatorBenchmark.HELD_IDS; i++) {
      assertThat(benchmark.claimHeldId(walk)).isPresent();
    }
  }
}

package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.AdmissionContract;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisAdmissionIT extends AdmissionContract {

  private static final Duration TTL = Duration.ofMinutes(10);

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
  protected Admission newAdmission(MutableClock clock) {
    return redis.admission(clock, TTL);
  }

  @Override
  protected Deduplicator deduplicator() {
    return redis.deduplicator(TTL);
  }

  @Override
  protected void clearState() {
    TestRedis.flushAll();
  }

  @Test
  void spendsTheAllowanceOfTheRateLimiterOnTheSameRedis() {
    // given
    OrganizationId organization = fixtures.organization().id();
    redis.rateLimiter(clock).acquire(organization, Tier.FREE, 95);

    // when
    Admission.Decision decision =
        redis.admission(clock, TTL).admit(organization, Tier.FREE, 5, List.of());

    // then
    assertThat(decision.rateLimit())
        .isEqualTo(new RateLimit.Allowed(100, 0, Duration.ofMinutes(1)));
    assertThat(redis.rateLimiter(clock).acquire(organization, Tier.FREE, 1))
        .isInstanceOf(RateLimit.Denied.class);
  }

  @Test
  void claimsAWholeBatchOfLongAndShortIdsInOneDecision() {
    // given
    OrganizationId organization = fixtures.organization().id();
    String longId = "x".repeat(RedisDeduplicator.LONGEST_VERBATIM + 1);
    EventId earlier = fixtures.eventId();
    redis.deduplicator(TTL).claim(organization, new DedupId(longId), earlier);
    List<Deduplicator.Claim> claims =
        IntStream.range(0, 100)
            .mapToObj(
                i ->
                    new Deduplicator.Claim(
                        new DedupId(i == 0 ? longId : "order-" + i), fixtures.eventId()))
            .toList();

    // when
    Admission.Decision decision =
        redis.admission(clock, TTL).admit(organization, Tier.ENTERPRISE, 100, claims);

    // then
    assertThat(decision.holders()).hasSize(100);
    assertThat(decision.holders().getFirst()).contains(earlier);
    assertThat(decision.holders().subList(1, 100)).containsOnly(Optional.empty());
  }

  @Test
  void failsAsUnavailableWhenRedisCannotBeReached() {
    // given
    try (RedisConnection nowhere = RedisConnection.connect("redis://127.0.0.1:1")) {
      Admission admission = nowhere.admission(clock, TTL);

      // when, then
      assertThatThrownBy(
              () ->
                  admission.admit(
                      fixtures.organization().id(),
                      Tier.FREE,
                      1,
                      List.of(new Deduplicator.Claim(new DedupId("a"), fixtures.eventId()))))
          .isInstanceOf(RedisUnavailableException.class);
    }
  }
}

package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.LocalAdmission;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.AdmissionContract;
import io.triggers.core.testing.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RedisFallbackAdmissionTest extends AdmissionContract {

  private static final int FREE_LIMIT = Tier.FREE.eventsPerMinute();
  private static final DedupId DEDUP_ID = new DedupId("order-1");

  private final AtomicLong nanoTime = new AtomicLong();
  private final InMemoryDeduplicator sharedClaims =
      new InMemoryDeduplicator(clock, Duration.ofMinutes(10), 1_000);
  private final RedisLike shared =
      new RedisLike(new LocalAdmission(new LocalRateLimiter(clock), sharedClaims));
  private final RedisFallbackAdmission admission =
      new RedisFallbackAdmission(shared, new LocalRateLimiter(clock), nanoTime::get);
  private final OrganizationId organization = fixtures.organization().id();
  private Deduplicator contractClaims;

  /** While Redis answers, the decorator must decide exactly as the shared admission would. */
  @Override
  protected Admission newAdmission(MutableClock clock) {
    contractClaims = new InMemoryDeduplicator(clock, Duration.ofMinutes(10), 1_000);
    return new RedisFallbackAdmission(
        new LocalAdmission(new LocalRateLimiter(clock), contractClaims),
        new LocalRateLimiter(clock),
        nanoTime::get);
  }

  @Override
  protected Deduplicator deduplicator() {
    return contractClaims;
  }

  @Test
  void countsOnThisNodeAndGrantsEveryClaimWhileRedisFails() {
    // given
    EventId holder = fixtures.eventId();
    admission.admit(organization, Tier.FREE, FREE_LIMIT - 1, List.of(claim(holder)));
    shared.failing = true;

    // when
    Admission.Decision decision =
        admission.admit(organization, Tier.FREE, FREE_LIMIT, List.of(claim(fixtures.eventId())));

    // then
    assertThat(decision.rateLimit()).isInstanceOf(RateLimit.Allowed.class);
    assertThat(decision.holders()).containsExactly(Optional.empty());
    Admission.Decision denied =
        admission.admit(organization, Tier.FREE, 1, List.of(claim(fixtures.eventId())));
    assertThat(denied.rateLimit()).isInstanceOf(RateLimit.Denied.class);
    assertThat(denied.holders()).isEmpty();
  }

  @Test
  void asksRedisOncePerRetryIntervalAndGoesBackWhenItAnswers() {
    // given
    EventId holder = fixtures.eventId();
    admission.admit(organization, Tier.FREE, 1, List.of(claim(holder)));
    shared.failing = true;
    admission.admit(organization, Tier.FREE, 1, List.of());
    boolean whileFailing = admission.isFallingBack();

    // when
    for (int i = 0; i < 10; i++) {
      admission.admit(organization, Tier.FREE, 1, List.of());
    }
    int askedWithinTheInterval = shared.calls.get();
    shared.failing = false;
    nanoTime.addAndGet(RedisOutage.RETRY_INTERVAL.toNanos());
    Admission.Decision back =
        admission.admit(organization, Tier.FREE, 1, List.of(claim(fixtures.eventId())));

    // then
    assertThat(whileFailing).isTrue();
    assertThat(askedWithinTheInterval).isEqualTo(2);
    assertThat(back.holders()).containsExactly(Optional.of(holder));
    assertThat(admission.isFallingBack()).isFalse();
  }

  private static Deduplicator.Claim claim(EventId candidate) {
    return new Deduplicator.Claim(DEDUP_ID, candidate);
  }

  /** An admission that fails as the Redis one does while {@link #failing} is set. */
  private static final class RedisLike implements Admission {

    private final Admission working;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;

    RedisLike(Admission working) {
      this.working = working;
    }

    @Override
    public Decision admit(
        OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
      calls.incrementAndGet();
      if (failing) {
        throw new RedisUnavailableException(
            "Redis could not admit events", new ConnectException("Connection refused"));
      }
      return working.admit(organization, tier, permits, claims);
    }
  }
}

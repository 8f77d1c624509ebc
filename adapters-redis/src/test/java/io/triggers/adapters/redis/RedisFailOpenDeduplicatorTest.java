package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.DeduplicatorContract;
import io.triggers.core.testing.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RedisFailOpenDeduplicatorTest extends DeduplicatorContract {

  private static final Duration TTL = Duration.ofMinutes(10);

  private final AtomicLong nanoTime = new AtomicLong();
  private final RedisLike shared = new RedisLike(new InMemoryDeduplicator(clock, TTL, 1_000));
  private final RedisFailOpenDeduplicator deduplicator =
      new RedisFailOpenDeduplicator(shared, nanoTime::get);
  private final OrganizationId organization = fixtures.organization().id();
  private final DedupId dedupId = new DedupId("order-7");

  /** While Redis answers, the decorator must answer exactly as the shared deduplicator would. */
  @Override
  protected Deduplicator newDeduplicator(MutableClock clock, Duration ttl) {
    return new RedisFailOpenDeduplicator(
        new InMemoryDeduplicator(clock, ttl, 1_000), nanoTime::get);
  }

  @Test
  void reportsTheSharedHolderWhileRedisAnswers() {
    // given
    EventId first = fixtures.eventId();
    shared.claim(organization, dedupId, first);

    // when
    Optional<EventId> holder = deduplicator.claim(organization, dedupId, fixtures.eventId());

    // then
    assertThat(holder).contains(first);
  }

  @Test
  void grantsEveryClaimWhileRedisFails() {
    // given
    shared.claim(organization, dedupId, fixtures.eventId());
    shared.failing = true;

    // when
    Optional<EventId> holder = deduplicator.claim(organization, dedupId, fixtures.eventId());

    // then
    assertThat(holder).isEmpty();
  }

  @Test
  void grantsEveryClaimOfABatchWhileRedisFails() {
    // given
    shared.claim(organization, dedupId, fixtures.eventId());
    shared.failing = true;

    // when
    List<Optional<EventId>> holders =
        deduplicator.claimAll(
            organization,
            List.of(
                new Deduplicator.Claim(dedupId, fixtures.eventId()),
                new Deduplicator.Claim(new DedupId("order-8"), fixtures.eventId())));

    // then
    assertThat(holders).containsExactly(Optional.empty(), Optional.empty());
  }

  @Test
  void saysItIsFallingBackFromTheFirstFailureUntilRedisAnswersAgain() {
    // given
    boolean beforeFailure = deduplicator.isFallingBack();
    shared.failing = true;

    // when
    deduplicator.claim(organization, dedupId, fixtures.eventId());
    boolean whileFailing = deduplicator.isFallingBack();
    shared.failing = false;
    nanoTime.addAndGet(RedisOutage.RETRY_INTERVAL.toNanos());
    deduplicator.claim(organization, new DedupId("order-8"), fixtures.eventId());

    // then
    assertThat(beforeFailure).isFalse();
    assertThat(whileFailing).isTrue();
    assertThat(deduplicator.isFallingBack()).isFalse();
  }

  @Test
  void asksRedisOncePerRetryIntervalWhileItFails() {
    // given
    shared.failing = true;
    deduplicator.claim(organization, dedupId, fixtures.eventId());

    // when
    for (int i = 0; i < 10; i++) {
      deduplicator.claim(organization, dedupId, fixtures.eventId());
      deduplicator.release(organization, dedupId, fixtures.eventId());
    }
    int askedWithinTheInterval = shared.calls.get();
    nanoTime.addAndGet(RedisOutage.RETRY_INTERVAL.toNanos());
    shared.failing = false;
    EventId claimant = fixtures.eventId();
    deduplicator.claim(organization, dedupId, claimant);

    // then
    assertThat(askedWithinTheInterval).isEqualTo(1);
    assertThat(deduplicator.claim(organization, dedupId, fixtures.eventId())).contains(claimant);
  }

  @Test
  void releasesThroughRedisWhileItAnswers() {
    // given
    EventId claimant = fixtures.eventId();
    deduplicator.claim(organization, dedupId, claimant);

    // when
    deduplicator.release(organization, dedupId, claimant);

    // then
    assertThat(shared.claim(organization, dedupId, fixtures.eventId())).isEmpty();
  }

  /** A deduplicator that fails as the Redis one does while {@link #failing} is set. */
  private static final class RedisLike implements Deduplicator {

    private final Deduplicator working;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;

    RedisLike(Deduplicator working) {
      this.working = working;
    }

    @Override
    public Optional<EventId> claim(
        OrganizationId organization, DedupId dedupId, EventId candidate) {
      calls.incrementAndGet();
      failIfAsked();
      return working.claim(organization, dedupId, candidate);
    }

    @Override
    public void release(OrganizationId organization, DedupId dedupId, EventId candidate) {
      calls.incrementAndGet();
      failIfAsked();
      working.release(organization, dedupId, candidate);
    }

    private void failIfAsked() {
      if (failing) {
        throw new RedisUnavailableException(
            "Redis could not check a dedup id", new ConnectException("Connection refused"));
      }
    }
  }
}

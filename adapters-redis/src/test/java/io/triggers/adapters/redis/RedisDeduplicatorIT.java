package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.DeduplicatorContract;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisDeduplicatorIT extends DeduplicatorContract {

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
  protected Deduplicator newDeduplicator(MutableClock clock, Duration ttl) {
    return redis.deduplicator(ttl);
  }

  @Override
  protected void clearState() {
    TestRedis.flushAll();
  }

  /** Short, because Redis expires claims in real time. */
  @Override
  protected Duration ttl() {
    return Duration.ofSeconds(1);
  }

  @Override
  protected void letTimePass(Duration duration) throws InterruptedException {
    clock.advance(duration);
    Thread.sleep(duration);
  }

  @Test
  void refusesOnOneNodeAClaimMadeOnAnotherWithTheHoldersId() {
    // given
    OrganizationId organization = fixtures.organization().id();
    DedupId dedupId = new DedupId("order-7");
    EventId first = fixtures.eventId();
    try (RedisConnection otherNode = RedisConnection.connect(TestRedis.url())) {
      redis.deduplicator(ttl()).claim(organization, dedupId, first);

      // when
      Optional<EventId> there =
          otherNode.deduplicator(ttl()).claim(organization, dedupId, fixtures.eventId());

      // then
      assertThat(there).contains(first);
    }
  }

  @Test
  void releasesAfterRedisForgotItsScript() {
    // given
    Deduplicator deduplicator = redis.deduplicator(ttl());
    OrganizationId organization = fixtures.organization().id();
    DedupId dedupId = new DedupId("order-7");
    EventId released = fixtures.eventId();
    deduplicator.claim(organization, dedupId, released);
    TestRedis.admin().scriptFlush();

    // when
    deduplicator.release(organization, dedupId, released);

    // then
    EventId next = fixtures.eventId();
    assertThat(deduplicator.claim(organization, dedupId, next)).isEmpty();
  }

  @Test
  void keepsAnOrganizationsClaimsUnderItsHashTag() {
    // given
    Deduplicator deduplicator = redis.deduplicator(ttl());
    OrganizationId organization = fixtures.organization().id();

    // when
    deduplicator.claim(organization, new DedupId("order-7"), fixtures.eventId());

    // then
    assertThat(TestRedis.admin().exists("triggers:dedup:{" + organization + "}:i:order-7"))
        .isEqualTo(1);
  }

  @Test
  void hashesLongDedupIdsIntoShortKeysThatStillTellIdsApart() {
    // given
    Deduplicator deduplicator = redis.deduplicator(ttl());
    OrganizationId organization = fixtures.organization().id();
    DedupId longId = new DedupId("x".repeat(DedupId.MAX_LENGTH));
    DedupId almostTheSame = new DedupId("x".repeat(DedupId.MAX_LENGTH - 1) + "y");
    EventId holder = fixtures.eventId();
    deduplicator.claim(organization, longId, holder);

    // when
    Optional<EventId> same = deduplicator.claim(organization, longId, fixtures.eventId());
    Optional<EventId> other = deduplicator.claim(organization, almostTheSame, fixtures.eventId());

    // then
    assertThat(same).contains(holder);
    assertThat(other).isEmpty();
    assertThat(TestRedis.admin().keys("triggers:dedup:{" + organization + "}:h:*"))
        .hasSize(2)
        .allSatisfy(key -> assertThat(key).hasSizeLessThan(100));
  }

  @Test
  void keepsDedupIdsUpToTheLimitVerbatim() {
    // given
    Deduplicator deduplicator = redis.deduplicator(ttl());
    OrganizationId organization = fixtures.organization().id();
    String longest = "y".repeat(RedisDeduplicator.LONGEST_VERBATIM);

    // when
    deduplicator.claim(organization, new DedupId(longest), fixtures.eventId());

    // then
    assertThat(TestRedis.admin().exists("triggers:dedup:{" + organization + "}:i:" + longest))
        .isEqualTo(1);
  }
}

package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Admission.Decision;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission on Redis Cluster, where a script may only touch the keys of one hash slot: the
 * admissions of many organizations sent together are still all decided.
 */
class RedisClusterAdmissionIT {

  private static TestRedis.Server cluster;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final Fixtures fixtures = new Fixtures(clock);

  @BeforeAll
  static void startCluster() {
    cluster = TestRedis.startClusterOfOne();
  }

  @AfterAll
  static void stopCluster() {
    cluster.stop();
  }

  @Test
  void decidesTheAdmissionsOfManyOrganizationsSentTogether() {
    // given
    List<OrganizationId> organizations =
        IntStream.range(0, 32).mapToObj(i -> fixtures.organization().id()).toList();
    try (RedisConnection redis = RedisConnection.connect(cluster.url())) {
      Admission admission = redis.admission(clock, Duration.ofMinutes(10));

      // when
      List<CompletableFuture<Decision>> sent =
          IntStream.range(0, 640)
              .mapToObj(
                  i ->
                      admission
                          .admitAsync(
                              organizations.get(i % 32),
                              Tier.PRO,
                              1,
                              List.of(
                                  new Deduplicator.Claim(
                                      new DedupId("order-" + i), fixtures.eventId())))
                          .toCompletableFuture())
              .toList();

      // then
      assertThat(sent)
          .allSatisfy(
              answer -> {
                Decision decision = answer.join();
                assertThat(decision.rateLimit()).isInstanceOf(RateLimit.Allowed.class);
                assertThat(decision.holders()).containsExactly(Optional.empty());
              });
    }
  }
}

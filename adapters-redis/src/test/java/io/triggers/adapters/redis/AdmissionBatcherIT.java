package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Admission.Decision;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.Concurrently;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher against real Redis, with the first run held back until the test releases it, so that
 * what it submits meanwhile forms batches of a known shape.
 */
class AdmissionBatcherIT {

  private static final String TTL_MILLIS = Long.toString(Duration.ofMinutes(10).toMillis());

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final Fixtures fixtures = new Fixtures(clock);
  private final HeldScript script = new HeldScript();

  @BeforeAll
  static void connect() {
    client = RedisClient.create(TestRedis.url());
    connection = client.connect();
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  @BeforeEach
  void startEmpty() {
    TestRedis.flushAll();
  }

  @Test
  void decidesABatchMixingAllowedAndDeniedAdmissionsInOrder() {
    // given
    AdmissionBatcher batcher = standalone();
    OrganizationId organization = fixtures.organization().id();
    CompletableFuture<Decision> first = submit(batcher, organization, Tier.FREE, 1);
    List<CompletableFuture<Decision>> queued =
        IntStream.of(60, 50, 39, 1)
            .mapToObj(permits -> submit(batcher, organization, Tier.FREE, permits))
            .toList();

    // when
    script.release();

    // then
    assertThat(first.join().rateLimit()).isEqualTo(allowed(100, 99, 1));
    assertThat(queued.get(0).join().rateLimit()).isEqualTo(allowed(100, 39, 61));
    assertThat(queued.get(1).join().rateLimit())
        .isEqualTo(
            new RateLimit.Denied(100, Duration.ofMillis(600 * 11), Duration.ofMillis(600 * 61)));
    assertThat(queued.get(2).join().rateLimit()).isEqualTo(allowed(100, 0, 100));
    assertThat(queued.get(3).join().rateLimit()).isInstanceOf(RateLimit.Denied.class);
    assertThat(queued.get(3).join().holders()).isEmpty();
    assertThat(script.runKeys()).containsExactly(1, 4);
  }

  @Test
  void answersTheFirstClaimOfADedupIdInABatchAndTheHolderToTheRest() {
    // given
    AdmissionBatcher batcher = standalone();
    OrganizationId organization = fixtures.organization().id();
    OrganizationId other = fixtures.organization().id();
    EventId winner = fixtures.eventId();
    submit(batcher, organization, Tier.PRO, 1);
    CompletableFuture<Decision> firstClaim = claim(batcher, organization, "order-7", winner);
    CompletableFuture<Decision> secondClaim =
        claim(batcher, organization, "order-7", fixtures.eventId());
    CompletableFuture<Decision> otherOrganization =
        claim(batcher, other, "order-7", fixtures.eventId());

    // when
    script.release();

    // then
    assertThat(firstClaim.join().holders()).containsExactly(Optional.empty());
    assertThat(secondClaim.join().holders()).containsExactly(Optional.of(winner));
    assertThat(otherOrganization.join().holders()).containsExactly(Optional.empty());
    assertThat(script.runKeys()).containsExactly(1, 6);
  }

  @Test
  void boundsABatchByItsAdmissions() {
    // given
    AdmissionBatcher batcher = standalone();
    List<CompletableFuture<Decision>> all = new ArrayList<>();
    for (int i = 0; i < 1 + 150; i++) {
      all.add(submit(batcher, fixtures.organization().id(), Tier.FREE, 1));
    }

    // when
    script.release();

    // then
    assertThat(all)
        .allSatisfy(
            answer -> assertThat(answer.join().rateLimit()).isInstanceOf(RateLimit.Allowed.class));
    assertThat(script.runKeys()).containsExactly(1, 64, 64, 22);
  }

  @Test
  void boundsABatchByItsKeys() {
    // given
    AdmissionBatcher batcher = standalone();
    OrganizationId organization = fixtures.organization().id();
    submit(batcher, organization, Tier.ENTERPRISE, 1);
    List<CompletableFuture<Decision>> large = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      List<Deduplicator.Claim> claims =
          IntStream.range(0, 100)
              .mapToObj(n -> new Deduplicator.Claim(new DedupId("e-" + n), fixtures.eventId()))
              .toList();
      large.add(
          submit(
              batcher,
              new QueuedAdmission(organization, Tier.ENTERPRISE, 100, claims, clock.instant())));
    }

    // when
    script.release();

    // then
    assertThat(large.getFirst().join().holders()).containsOnly(Optional.empty());
    assertThat(large.getLast().join().holders()).doesNotContain(Optional.empty()).hasSize(100);
    assertThat(script.runKeys()).containsExactly(1, 10 * 101, 2 * 101);
  }

  @Test
  void failsTheWholeBatchAndWhatQueuedBehindItWhenRedisDoesNotAnswer() {
    // given
    AdmissionBatcher batcher = standalone();
    OrganizationId organization = fixtures.organization().id();
    List<CompletableFuture<Decision>> all =
        IntStream.range(0, 5).mapToObj(i -> submit(batcher, organization, Tier.FREE, 1)).toList();

    // when
    script.failFirst(new RedisCommandTimeoutException("Command timed out after 500 ms"));

    // then
    assertThat(all)
        .allSatisfy(
            answer ->
                assertThat(answer)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(RedisUnavailableException.class));
    assertThat(submit(batcher, organization, Tier.FREE, 1).join().rateLimit())
        .isEqualTo(allowed(100, 99, 1));
  }

  @Test
  void sendsOneRunPerHashSlotToRedisCluster() {
    // given
    AdmissionBatcher batcher = new AdmissionBatcher(script, TTL_MILLIS, ClusterMode.known(true));
    submit(batcher, fixtures.organization().id(), Tier.FREE, 1);
    List<OrganizationId> organizations =
        List.of(fixtures.organization().id(), fixtures.organization().id());
    List<CompletableFuture<Decision>> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(claim(batcher, organizations.get(i % 2), "d-" + i, fixtures.eventId()));
    }

    // when
    script.release();

    // then
    assertThat(queued)
        .allSatisfy(
            answer -> assertThat(answer.join().holders()).containsExactly(Optional.empty()));
    assertThat(script.runs)
        .allSatisfy(
            keys -> assertThat(Arrays.stream(keys).map(SlotHash::getSlot).distinct()).hasSize(1));
    assertThat(script.runKeys()).containsExactly(1, 6, 6);
  }

  @Test
  void decidesConcurrentAdmissionsOfSeveralOrganizationsWithExactLimits() throws Exception {
    // given: eight organizations of 100 events a minute, each asked fifty times for three
    List<OrganizationId> organizations =
        IntStream.range(0, 8).mapToObj(i -> fixtures.organization().id()).toList();
    try (RedisConnection redis = RedisConnection.connect(TestRedis.url())) {
      Admission admission = redis.admission(clock, Duration.ofMinutes(10));

      // when: sixteen threads each send twenty-five without waiting
      List<List<Decision>> decided =
          Concurrently.run(
              16,
              thread -> {
                List<CompletableFuture<Decision>> sent = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                  OrganizationId organization = organizations.get((thread * 25 + i) % 8);
                  sent.add(
                      admission
                          .admitAsync(organization, Tier.FREE, 3, List.of())
                          .toCompletableFuture());
                }
                return sent.stream().map(CompletableFuture::join).toList();
              });

      // then: each organization got exactly the 33 that fit in its 100
      Map<OrganizationId, Long> allowed = new HashMap<>();
      for (int thread = 0; thread < 16; thread++) {
        for (int i = 0; i < 25; i++) {
          if (decided.get(thread).get(i).rateLimit() instanceof RateLimit.Allowed) {
            allowed.merge(organizations.get((thread * 25 + i) % 8), 1L, Long::sum);
          }
        }
      }
      assertThat(allowed).hasSize(8).containsOnlyKeys(organizations);
      assertThat(allowed.values()).containsOnly(33L);
    }
  }

  @Test
  void grantsEachConcurrentlyClaimedDedupIdOnceAndNamesTheHolderToTheOthers() throws Exception {
    // given: twenty dedup ids over four organizations, each claimed twenty times, by 400 candidates
    List<OrganizationId> organizations =
        IntStream.range(0, 4).mapToObj(i -> fixtures.organization().id()).toList();
    List<EventId> candidates = IntStream.range(0, 400).mapToObj(i -> fixtures.eventId()).toList();
    try (RedisConnection redis = RedisConnection.connect(TestRedis.url())) {
      Admission admission = redis.admission(clock, Duration.ofMinutes(10));

      // when
      List<List<Decision>> decided =
          Concurrently.run(
              8,
              thread -> {
                List<CompletableFuture<Decision>> sent = new ArrayList<>();
                for (int i = thread * 50; i < thread * 50 + 50; i++) {
                  Deduplicator.Claim claim =
                      new Deduplicator.Claim(new DedupId("d-" + i % 20), candidates.get(i));
                  sent.add(
                      admission
                          .admitAsync(organizations.get(i % 4), Tier.ENTERPRISE, 1, List.of(claim))
                          .toCompletableFuture());
                }
                return sent.stream().map(CompletableFuture::join).toList();
              });

      // then: per organization and dedup id, one winner, and every other answer names it
      Map<String, EventId> winners = new HashMap<>();
      for (int i = 0; i < 400; i++) {
        Optional<EventId> holder = decided.get(i / 50).get(i % 50).holders().getFirst();
        if (holder.isEmpty()) {
          assertThat(winners.put(i % 4 + "/" + i % 20, candidates.get(i))).isNull();
        }
      }
      assertThat(winners).hasSize(20);
      for (int i = 0; i < 400; i++) {
        EventId winner = winners.get(i % 4 + "/" + i % 20);
        assertThat(decided.get(i / 50).get(i % 50).holders().getFirst())
            .isEqualTo(winner.equals(candidates.get(i)) ? Optional.empty() : Optional.of(winner));
      }
    }
  }

  @Test
  void learnsThatAStandaloneServerTakesABatchAsOneRun() throws InterruptedException {
    // given
    ClusterMode mode = new ClusterMode(() -> connection.async());

    // when: asked until the server has answered
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (mode.splitsBySlot() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    // then
    assertThat(mode.splitsBySlot()).isFalse();
  }

  private AdmissionBatcher standalone() {
    return new AdmissionBatcher(script, TTL_MILLIS, ClusterMode.known(false));
  }

  private CompletableFuture<Decision> submit(
      AdmissionBatcher batcher, OrganizationId organization, Tier tier, int permits) {
    return submit(
        batcher, new QueuedAdmission(organization, tier, permits, List.of(), clock.instant()));
  }

  private CompletableFuture<Decision> claim(
      AdmissionBatcher batcher, OrganizationId organization, String dedupId, EventId candidate) {
    return submit(
        batcher,
        new QueuedAdmission(
            organization,
            Tier.PRO,
            1,
            List.of(new Deduplicator.Claim(new DedupId(dedupId), candidate)),
            clock.instant()));
  }

  private static CompletableFuture<Decision> submit(
      AdmissionBatcher batcher, QueuedAdmission admission) {
    batcher.submit(admission);
    return admission.answer();
  }

  private static RateLimit.Allowed allowed(int limit, long remaining, int spent) {
    return new RateLimit.Allowed(
        limit, remaining, Duration.ofMinutes(1).dividedBy(limit).multipliedBy(spent));
  }

  /** The real script, whose first run waits until the test releases or fails it. */
  private static final class HeldScript implements AdmissionBatcher.Script {

    private final AdmissionBatcher.Script real =
        AdmissionBatcher.Script.on(() -> connection.async());
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final List<String[]> runs = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<List<Object>> run(String[] keys, String[] args) {
      boolean first = runs.isEmpty();
      runs.add(keys);
      return first ? gate.thenCompose(released -> real.run(keys, args)) : real.run(keys, args);
    }

    void release() {
      gate.complete(null);
    }

    void failFirst(RuntimeException failure) {
      gate.completeExceptionally(new CompletionException(failure));
    }

    /**
     * How many keys each run had, in the order sent; complete once every answer is in, as a batch
     * goes before the callers of the one before it are answered.
     */
    List<Integer> runKeys() {
      return runs.stream().map(keys -> keys.length).toList();
    }
  }
}

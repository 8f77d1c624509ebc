package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Deduplicator} must do; extend it with a factory for the implementation. */
public abstract class DeduplicatorContract {

  private static final DedupId DEDUP_ID = new DedupId("order-42");

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private Deduplicator deduplicator;

  /**
   * The implementation under test, holding claims for {@code ttl} as told by {@code clock} (or by
   * its own time, if {@link #letTimePass} is overridden to match); called after {@link
   * #clearState()}.
   */
  protected abstract Deduplicator newDeduplicator(MutableClock clock, Duration ttl)
      throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  /** How long claims live in these tests; an implementation that waits in real time shortens it. */
  protected Duration ttl() {
    return Duration.ofMinutes(10);
  }

  /** Moves time on for the implementation; an implementation with its own timer also waits. */
  protected void letTimePass(Duration duration) throws Exception {
    clock.advance(duration);
  }

  @BeforeEach
  final void createDeduplicator() throws Exception {
    clearState();
    deduplicator = newDeduplicator(clock, ttl());
  }

  @Test
  void givesTheFirstClaimToItsCandidate() {
    // given
    OrganizationId organization = organization();
    EventId first = fixtures.eventId();
    EventId second = fixtures.eventId();

    // when
    Optional<EventId> firstClaim = deduplicator.claim(organization, DEDUP_ID, first);
    Optional<EventId> secondClaim = deduplicator.claim(organization, DEDUP_ID, second);

    // then
    assertThat(firstClaim).isEmpty();
    assertThat(secondClaim).contains(first);
  }

  @Test
  void answersClaimsMadeTogetherAsEachInTurn() {
    // given
    OrganizationId organization = organization();
    EventId holder = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, holder);
    DedupId twice = new DedupId("order-43");
    EventId first = fixtures.eventId();

    // when
    List<Optional<EventId>> holders =
        deduplicator.claimAll(
            organization,
            List.of(
                new Deduplicator.Claim(DEDUP_ID, fixtures.eventId()),
                new Deduplicator.Claim(twice, first),
                new Deduplicator.Claim(twice, fixtures.eventId()),
                new Deduplicator.Claim(new DedupId("order-44"), fixtures.eventId())));

    // then
    assertThat(holders)
        .containsExactly(
            Optional.of(holder), Optional.empty(), Optional.of(first), Optional.empty());
    assertThat(deduplicator.claim(organization, twice, fixtures.eventId())).contains(first);
  }

  @Test
  void tellsTheHolderClaimingAgainThatItHoldsTheClaim() {
    // given
    OrganizationId organization = organization();
    EventId holder = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, holder);

    // when / then
    assertThat(deduplicator.claim(organization, DEDUP_ID, holder)).isEmpty();
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(holder);
  }

  @Test
  void keepsClaimsOfEachOrganizationApart() {
    // given
    EventId mine = fixtures.eventId();
    deduplicator.claim(organization(), DEDUP_ID, mine);

    // when
    Optional<EventId> theirs = deduplicator.claim(organization(), DEDUP_ID, fixtures.eventId());

    // then
    assertThat(theirs).isEmpty();
  }

  @Test
  void keepsClaimsOfEachDedupIdApart() {
    // given
    OrganizationId organization = organization();
    deduplicator.claim(organization, DEDUP_ID, fixtures.eventId());

    // when
    Optional<EventId> other =
        deduplicator.claim(organization, new DedupId("order-43"), fixtures.eventId());

    // then
    assertThat(other).isEmpty();
  }

  @Test
  void releasingAClaimLetsTheNextCandidateHaveIt() {
    // given
    OrganizationId organization = organization();
    EventId released = fixtures.eventId();
    EventId next = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, released);

    // when
    deduplicator.release(organization, DEDUP_ID, released);

    // then
    assertThat(deduplicator.claim(organization, DEDUP_ID, next)).isEmpty();
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(next);
  }

  @Test
  void releasingAsAnotherCandidateLeavesTheClaimAlone() {
    // given
    OrganizationId organization = organization();
    EventId holder = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, holder);

    // when
    deduplicator.release(organization, DEDUP_ID, fixtures.eventId());

    // then
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(holder);
  }

  @Test
  void releasingIsIdempotent() {
    // given
    OrganizationId organization = organization();
    EventId released = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, released);
    deduplicator.release(organization, DEDUP_ID, released);
    EventId next = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, next);

    // when
    deduplicator.release(organization, DEDUP_ID, released);

    // then
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(next);
  }

  @Test
  void releasingAnUnclaimedIdChangesNothing() {
    // given
    OrganizationId organization = organization();

    // when
    deduplicator.release(organization, DEDUP_ID, fixtures.eventId());

    // then
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).isEmpty();
  }

  @Test
  void holdsAClaimWithinItsTimeToLive() throws Exception {
    // given
    OrganizationId organization = organization();
    EventId holder = fixtures.eventId();
    deduplicator.claim(organization, DEDUP_ID, holder);

    // when
    letTimePass(ttl().dividedBy(2));

    // then
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(holder);
  }

  @Test
  void forgetsAClaimOnceItsTimeToLiveIsOver() throws Exception {
    // given
    OrganizationId organization = organization();
    deduplicator.claim(organization, DEDUP_ID, fixtures.eventId());

    // when
    letTimePass(ttl().plusMillis(1));

    // then
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).isEmpty();
  }

  @Test
  void givesAContestedClaimToExactlyOneOfManyConcurrentCandidates() throws Exception {
    // given
    OrganizationId organization = organization();
    int threads = 50;
    List<EventId> candidates = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      candidates.add(fixtures.eventId());
    }

    // when
    List<Optional<EventId>> answers =
        Concurrently.run(
            threads, i -> deduplicator.claim(organization, DEDUP_ID, candidates.get(i)));

    // then
    List<EventId> winners = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      if (answers.get(i).isEmpty()) {
        winners.add(candidates.get(i));
      }
    }
    assertThat(winners).hasSize(1);
    assertThat(answers)
        .filteredOn(Optional::isPresent)
        .hasSize(threads - 1)
        .allSatisfy(answer -> assertThat(answer).contains(winners.getFirst()));
  }

  private OrganizationId organization() {
    return fixtures.organization().id();
  }
}

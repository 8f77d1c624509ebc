package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Admission} must do; extend it with a factory for the implementation. The rate
 * limit and the claims each follow their own contract ({@link RateLimiterContract}, {@link
 * DeduplicatorContract}); this one checks how they go together. The free tier allows 100 events a
 * minute: one every 600 ms.
 */
public abstract class AdmissionContract {

  private static final Tier TIER = Tier.FREE;
  private static final int LIMIT = TIER.eventsPerMinute();
  private static final Duration INTERVAL = Duration.ofMillis(600);
  private static final DedupId DEDUP_ID = new DedupId("order-42");

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private Admission admission;
  private Deduplicator deduplicator;

  /** The implementation under test reading {@code clock}; called after {@link #clearState()}. */
  protected abstract Admission newAdmission(MutableClock clock) throws Exception;

  /** The deduplicator that holds the claims of the admission last made, and drops them. */
  protected abstract Deduplicator deduplicator() throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  @BeforeEach
  final void createAdmission() throws Exception {
    clearState();
    admission = newAdmission(clock);
    deduplicator = deduplicator();
  }

  @Test
  void takesThePermitsFromTheAllowance() {
    // given
    OrganizationId organization = organization();

    // when
    Admission.Decision first = admission.admit(organization, TIER, 1, List.of());
    Admission.Decision batch =
        admission.admit(organization, TIER, 9, List.of(claim(DEDUP_ID, fixtures.eventId())));

    // then
    assertThat(first.rateLimit()).isEqualTo(new RateLimit.Allowed(LIMIT, 99, INTERVAL));
    assertThat(batch.rateLimit())
        .isEqualTo(new RateLimit.Allowed(LIMIT, 90, INTERVAL.multipliedBy(10)));
    assertThat(batch.holders()).containsExactly(Optional.empty());
  }

  @Test
  void answersClaimsAsTheDeduplicatorDoes() {
    // given
    OrganizationId organization = organization();
    EventId first = fixtures.eventId();
    EventId second = fixtures.eventId();
    DedupId other = new DedupId("order-43");

    // when
    Admission.Decision together =
        admission.admit(
            organization,
            TIER,
            3,
            List.of(claim(DEDUP_ID, first), claim(DEDUP_ID, second), claim(other, second)));
    Admission.Decision later =
        admission.admit(
            organization,
            TIER,
            2,
            List.of(claim(DEDUP_ID, fixtures.eventId()), claim(other, second)));

    // then
    assertThat(together.holders())
        .containsExactly(Optional.empty(), Optional.of(first), Optional.empty());
    assertThat(later.holders()).containsExactly(Optional.of(first), Optional.empty());
  }

  @Test
  void claimsNothingForEventsItDenies() {
    // given
    OrganizationId organization = organization();
    admission.admit(organization, TIER, LIMIT - 5, List.of());

    // when
    Admission.Decision denied =
        admission.admit(organization, TIER, 10, List.of(claim(DEDUP_ID, fixtures.eventId())));

    // then
    assertThat(denied.rateLimit()).isInstanceOf(RateLimit.Denied.class);
    assertThat(denied.holders()).isEmpty();
    EventId next = fixtures.eventId();
    Admission.Decision admitted =
        admission.admit(organization, TIER, 5, List.of(claim(DEDUP_ID, next)));
    assertThat(admitted.rateLimit())
        .isEqualTo(new RateLimit.Allowed(LIMIT, 0, Duration.ofMinutes(1)));
    assertThat(admitted.holders()).containsExactly(Optional.empty());
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(next);
  }

  @Test
  void letsTheDeduplicatorDropItsClaims() {
    // given
    OrganizationId organization = organization();
    EventId dropped = fixtures.eventId();
    admission.admit(organization, TIER, 1, List.of(claim(DEDUP_ID, dropped)));

    // when
    deduplicator.release(organization, DEDUP_ID, dropped);

    // then
    EventId next = fixtures.eventId();
    assertThat(admission.admit(organization, TIER, 1, List.of(claim(DEDUP_ID, next))).holders())
        .containsExactly(Optional.empty());
    assertThat(deduplicator.claim(organization, DEDUP_ID, fixtures.eventId())).contains(next);
  }

  @Test
  void keepsEachOrganizationsClaimsAndAllowanceApart() {
    // given
    OrganizationId spender = organization();
    OrganizationId other = organization();
    EventId held = fixtures.eventId();
    admission.admit(spender, TIER, LIMIT, List.of(claim(DEDUP_ID, held)));

    // when
    EventId candidate = fixtures.eventId();
    Admission.Decision decision =
        admission.admit(other, TIER, 1, List.of(claim(DEDUP_ID, candidate)));

    // then
    assertThat(decision.rateLimit()).isEqualTo(new RateLimit.Allowed(LIMIT, 99, INTERVAL));
    assertThat(decision.holders()).containsExactly(Optional.empty());
  }

  @Test
  void decidesAsynchronouslyAsItDoesWaiting() throws Exception {
    // given
    OrganizationId organization = organization();
    EventId first = fixtures.eventId();
    admission.admit(organization, TIER, LIMIT - 2, List.of(claim(DEDUP_ID, first)));

    // when
    Admission.Decision allowed =
        admission
            .admitAsync(organization, TIER, 2, List.of(claim(DEDUP_ID, fixtures.eventId())))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    Admission.Decision denied =
        admission
            .admitAsync(organization, TIER, 1, List.of(claim(DEDUP_ID, fixtures.eventId())))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    // then
    assertThat(allowed.rateLimit())
        .isEqualTo(new RateLimit.Allowed(LIMIT, 0, Duration.ofMinutes(1)));
    assertThat(allowed.holders()).containsExactly(Optional.of(first));
    assertThat(denied.rateLimit()).isInstanceOf(RateLimit.Denied.class);
    assertThat(denied.holders()).isEmpty();
  }

  private static Deduplicator.Claim claim(DedupId dedupId, EventId candidate) {
    return new Deduplicator.Claim(dedupId, candidate);
  }

  private OrganizationId organization() {
    return fixtures.organization(TIER).id();
  }
}

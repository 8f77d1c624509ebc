package io.triggers.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.port.in.DeliverWebhook.Outcome;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EndpointBreakersTest {

  private static final Duration FIRST = Duration.ofSeconds(5);
  private static final Duration LONGEST = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final EndpointBreakers breakers =
      new EndpointBreakers(new EndpointBackoff(3, FIRST, LONGEST), clock);
  private final EndpointId endpoint = new EndpointId(UUID.randomUUID());
  private final EndpointId other = new EndpointId(UUID.randomUUID());

  @Test
  void opensAfterTheThirdFailureInARowForTheFirstCooldown() {
    // when
    Optional<Instant> first = breakers.record(endpoint, failed());
    Optional<Instant> second = breakers.record(endpoint, failed());
    Optional<Instant> third = breakers.record(endpoint, failed());

    // then
    assertThat(first).isEmpty();
    assertThat(second).isEmpty();
    assertThat(third).contains(clock.instant().plus(FIRST));
    assertThat(breakers.isOpen(endpoint)).isTrue();
    assertThat(breakers.isOpen(other)).isFalse();
    assertThat(breakers.openCount()).isEqualTo(1);
  }

  @Test
  void aDeliveredAttemptForgetsTheFailuresBeforeIt() {
    // given
    breakers.record(endpoint, failed());
    breakers.record(endpoint, failed());

    // when
    breakers.record(endpoint, delivered());

    // then: it takes three failures in a row again
    assertThat(breakers.record(endpoint, failed())).isEmpty();
    assertThat(breakers.record(endpoint, failed())).isEmpty();
    assertThat(breakers.isOpen(endpoint)).isFalse();
  }

  @Test
  void failuresWhileOpenDoNotCountAndTheCooldownEndsOnTime() {
    // given
    openNow();
    Instant until = clock.instant().plus(FIRST);

    // when: attempts in flight when it opened fail as well
    Optional<Instant> whileOpen = breakers.record(endpoint, failed());
    clock.advance(FIRST.minusMillis(1));

    // then
    assertThat(whileOpen).isEmpty();
    assertThat(breakers.isOpen(endpoint)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(breakers.isOpen(endpoint)).isFalse();
    assertThat(clock.instant()).isEqualTo(until);
    assertThat(breakers.openCount()).isZero();
  }

  @Test
  void oneFailureOnceTheCooldownHasEndedOpensItForTwiceAsLongUpToTheLongest() {
    // given
    openNow();

    // when / then: 10 s, 20 s, then 30 s, the longest, again and again
    for (Duration expected :
        new Duration[] {
          Duration.ofSeconds(10), Duration.ofSeconds(20), LONGEST, LONGEST, LONGEST
        }) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(breakers.record(endpoint, failed())).contains(clock.instant().plus(expected));
    }
  }

  @Test
  void aDeliveredAttemptClosesItAndTheNextOpeningStartsFromTheFirstCooldown() {
    // given
    openNow();
    clock.advance(Duration.ofMinutes(1));
    breakers.record(endpoint, failed());
    clock.advance(Duration.ofMinutes(1));

    // when
    breakers.record(endpoint, delivered());

    // then
    assertThat(breakers.isOpen(endpoint)).isFalse();
    breakers.record(endpoint, failed());
    breakers.record(endpoint, failed());
    assertThat(breakers.record(endpoint, failed())).contains(clock.instant().plus(FIRST));
  }

  @Test
  void startsOneProbeOnceTheCooldownHasEndedAndHoldsTheQueueBackMeanwhile() {
    // given
    assertThat(breakers.probing(endpoint)).as("never opened").isEmpty();
    openNow();
    assertThat(breakers.probing(endpoint)).as("cooling down").isEmpty();
    clock.advance(FIRST);

    // when
    Optional<Instant> probe = breakers.probing(endpoint);

    // then: one probe at a time, holding back for the longest cooldown
    assertThat(probe).contains(clock.instant().plus(LONGEST));
    assertThat(breakers.probing(endpoint)).isEmpty();
    assertThat(breakers.isOpen(endpoint)).isFalse();
  }

  @Test
  void aFailedProbeOpensItAgainAndTheNextCooldownStartsAnotherProbe() {
    // given
    openNow();
    clock.advance(FIRST);
    breakers.probing(endpoint);

    // when
    Optional<Instant> reopened = breakers.record(endpoint, failed());
    clock.advance(Duration.ofSeconds(10));

    // then
    assertThat(reopened).contains(clock.instant());
    assertThat(breakers.probing(endpoint)).isPresent();
  }

  @Test
  void aDeliveredProbeEndsTheHoldAtOnceAndADeliveryThatNeverOpenedItChangesNothing() {
    // given
    breakers.record(other, failed());
    openNow();
    clock.advance(FIRST);
    breakers.probing(endpoint);

    // when
    Optional<Instant> closed = breakers.record(endpoint, delivered());
    Optional<Instant> neverOpened = breakers.record(other, delivered());

    // then
    assertThat(closed).contains(clock.instant());
    assertThat(neverOpened).isEmpty();
    assertThat(breakers.probing(endpoint)).isEmpty();
  }

  @Test
  void aProbeThatToldNothingEndsItsHoldAndTheNextTaskStartsAnother() {
    // given
    openNow();
    clock.advance(FIRST);
    breakers.probing(endpoint);

    // when: nothing was due
    Optional<Instant> undecided =
        breakers.record(endpoint, Optional.of(new Outcome.Skipped(eventId())));

    // then
    assertThat(undecided).contains(clock.instant());
    assertThat(breakers.probing(endpoint)).isPresent();
  }

  @Test
  void attemptsWithoutAVerdictOnTheEndpointNeitherCountNorClose() {
    // given
    breakers.record(endpoint, failed());
    breakers.record(endpoint, failed());

    // when: nothing was due, the endpoint is paused, or the attempt never ended
    breakers.record(endpoint, Optional.of(new Outcome.Skipped(eventId())));
    breakers.record(endpoint, Optional.of(new Outcome.Held(eventId(), Delivery.pending())));
    breakers.record(endpoint, Optional.empty());

    // then: the failures still count, and the next one opens it
    assertThat(breakers.isOpen(endpoint)).isFalse();
    assertThat(breakers.record(endpoint, failed())).isPresent();
  }

  @Test
  void aDeliveryWhoseRetriesRanOutCountsAsAFailure() {
    // given
    breakers.record(endpoint, failed());
    breakers.record(endpoint, failed());

    // when
    Optional<Instant> opened =
        breakers.record(endpoint, Optional.of(new Outcome.Failed(eventId(), Delivery.pending())));

    // then
    assertThat(opened).isPresent();
  }

  @Test
  void aBackoffThatNeverBacksOffNeverOpens() {
    // given
    EndpointBreakers never = new EndpointBreakers(EndpointBackoff.never(), clock);

    // when
    for (int i = 0; i < 1_000; i++) {
      assertThat(never.record(endpoint, failed())).isEmpty();
    }

    // then
    assertThat(never.isOpen(endpoint)).isFalse();
    assertThat(never.probing(endpoint)).isEmpty();
  }

  @Test
  void refusesABackoffThatCannotWork() {
    assertThatThrownBy(() -> new EndpointBackoff(0, FIRST, LONGEST))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EndpointBackoff(3, Duration.ZERO, LONGEST))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EndpointBackoff(3, LONGEST, FIRST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void openNow() {
    for (int i = 0; i < 3; i++) {
      breakers.record(endpoint, failed());
    }
    assertThat(breakers.isOpen(endpoint)).isTrue();
  }

  private Optional<Outcome> failed() {
    return Optional.of(
        new Outcome.Retrying(eventId(), Delivery.scheduled(clock.instant().plusSeconds(5))));
  }

  private Optional<Outcome> delivered() {
    return Optional.of(new Outcome.Delivered(eventId(), Delivery.pending()));
  }

  private EventId eventId() {
    return fixtures.eventId();
  }
}

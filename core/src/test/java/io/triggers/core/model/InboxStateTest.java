package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InboxStateTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final int MAX = 2;
  private static final LeaseId FIRST = new LeaseId(UUID.randomUUID());
  private static final LeaseId SECOND = new LeaseId(UUID.randomUUID());

  @Test
  void aLeasedEventIsHeldUntilItsLeaseEndsThenLeasableAgain() {
    InboxState leased = InboxState.fresh().leased(FIRST, NOW.plusSeconds(10));

    assertThat(leased.status(false, NOW, MAX)).isEqualTo(InboxStatus.LEASED);
    assertThat(leased.isLeasable(NOW.plusSeconds(9), MAX)).isFalse();
    assertThat(leased.isLeasable(NOW.plusSeconds(10), MAX)).isTrue();
    assertThat(leased.status(false, NOW.plusSeconds(10), MAX)).isEqualTo(InboxStatus.AVAILABLE);
    assertThat(leased.isHeldBy(FIRST, NOW.plusSeconds(60), MAX)).isTrue();
  }

  @Test
  void theLastAllowedLeaseRunningOutOrReleasedMakesTheEventDead() {
    InboxState last =
        InboxState.fresh().leased(FIRST, NOW.plusSeconds(10)).leased(SECOND, NOW.plusSeconds(20));

    assertThat(last.isDead(NOW.plusSeconds(19), MAX)).isFalse();
    assertThat(last.isDead(NOW.plusSeconds(20), MAX)).isTrue();
    assertThat(last.isHeldBy(SECOND, NOW.plusSeconds(20), MAX)).isFalse();
    InboxState released = last.released(NOW.plusSeconds(600), NOW.plusSeconds(5), MAX);
    assertThat(released.status(false, NOW.plusSeconds(5), MAX)).isEqualTo(InboxStatus.DEAD);
  }

  @Test
  void aReleaseBeforeTheLastLeaseWaitsForItsDelay() {
    InboxState released =
        InboxState.fresh()
            .leased(FIRST, NOW.plusSeconds(10))
            .released(NOW.plusSeconds(60), NOW, MAX);

    assertThat(released.lease()).isEmpty();
    assertThat(released.isLeasable(NOW.plusSeconds(59), MAX)).isFalse();
    assertThat(released.isLeasable(NOW.plusSeconds(60), MAX)).isTrue();
    assertThat(released.status(false, NOW, MAX)).isEqualTo(InboxStatus.AVAILABLE);
  }

  @Test
  void anAckCountsUnlessAnotherLeaseTookTheEventSince() {
    InboxState retaken =
        InboxState.fresh().leased(FIRST, NOW.plusSeconds(10)).leased(SECOND, NOW.plusSeconds(20));

    assertThat(retaken.acceptsAckThrough(SECOND)).isTrue();
    assertThat(retaken.acceptsAckThrough(FIRST)).isFalse();
    assertThat(InboxState.fresh().acceptsAckThrough(FIRST)).isTrue();
    assertThat(retaken.status(true, NOW, MAX)).isEqualTo(InboxStatus.ACKNOWLEDGED);
  }

  @Test
  void refusesStatesNoTransitionMakes() {
    assertThatThrownBy(() -> new InboxState(Optional.of(FIRST), 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InboxState(Optional.empty(), -1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InboxState.fresh().extended(NOW))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLeaseIdIsParsedOnlyFromItsCanonicalForm() {
    assertThat(LeaseId.parse(FIRST.toString())).isEqualTo(FIRST);
    assertThatThrownBy(() -> LeaseId.parse("1-1-1-1-1")).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> LeaseId.parse("not a lease"))
        .isInstanceOf(InvalidValueException.class);
  }
}

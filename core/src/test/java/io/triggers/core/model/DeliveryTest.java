package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryTest {

  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
  private static final Instant LEASE = CREATED.plus(Duration.ofSeconds(30));
  private static final Instant LATER = CREATED.plus(Duration.ofMinutes(5));

  // ---- transitions

  @Test
  void startsPendingWithoutAnAttemptPlannedWhenPulled() {
    // when
    Delivery delivery = Delivery.initial(DeliveryMethod.PULL, CREATED);

    // then
    assertThat(delivery).isEqualTo(Delivery.pending());
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(delivery.isScheduled()).isFalse();
    assertThat(delivery.isDueAt(LATER)).isFalse();
  }

  @Test
  void startsPendingWithItsFirstAttemptDueAtItsCreationWhenPushed() {
    // when
    Delivery delivery = Delivery.initial(DeliveryMethod.PUSH, CREATED);

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.PENDING,
                0,
                Optional.empty(),
                Optional.of(CREATED),
                Optional.empty(),
                Optional.empty()));
    assertThat(delivery.isScheduled()).isTrue();
  }

  @Test
  void isDueFromItsNextAttemptOn() {
    // given
    Delivery delivery = Delivery.scheduled(CREATED);

    // when / then
    assertThat(delivery.isDueAt(CREATED.minusMillis(1))).isFalse();
    assertThat(delivery.isDueAt(CREATED)).isTrue();
    assertThat(delivery.isDueAt(LATER)).isTrue();
  }

  @Test
  void aClaimMovesTheNextAttemptToTheLeasesEndAndKeepsTheRest() {
    // given
    Delivery retrying = retrying();

    // when
    Delivery claimed = retrying.claimedUntil(LATER);

    // then
    assertThat(claimed)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.RETRYING,
                1,
                Optional.of(CREATED),
                Optional.of(LATER),
                Optional.of("HTTP 503"),
                Optional.empty()));
    assertThat(claimed.isDueAt(LATER.minusMillis(1))).isFalse();
  }

  @Test
  void refusesToClaimADeliveryThatIsNotScheduled() {
    assertThatThrownBy(() -> Delivery.pending().claimedUntil(LEASE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Delivery.pending().acknowledged(CREATED).claimedUntil(LEASE))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aDeliveredAttemptCountsAndKeepsTheLastError() {
    // given
    Delivery claimed = retrying().claimedUntil(LATER);

    // when
    Delivery delivery = claimed.after(new AttemptResult.Delivered(LEASE, LATER));

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.DELIVERED,
                2,
                Optional.of(LEASE),
                Optional.empty(),
                Optional.of("HTTP 503"),
                Optional.of(LATER)));
  }

  @Test
  void aFailedAttemptWithAnotherToComeIsRetrying() {
    // given
    Delivery claimed = Delivery.scheduled(CREATED).claimedUntil(LEASE);

    // when
    Delivery delivery = claimed.after(new AttemptResult.Retrying(CREATED, "HTTP 503", LATER));

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.RETRYING,
                1,
                Optional.of(CREATED),
                Optional.of(LATER),
                Optional.of("HTTP 503"),
                Optional.empty()));
    assertThat(delivery.isScheduled()).isTrue();
  }

  @Test
  void aFailedAttemptWithNoneToComeIsFailed() {
    // given
    Delivery claimed = retrying().claimedUntil(LATER);

    // when
    Delivery delivery = claimed.after(new AttemptResult.Failed(LATER, "timed out"));

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.FAILED,
                2,
                Optional.of(LATER),
                Optional.empty(),
                Optional.of("timed out"),
                Optional.empty()));
    assertThat(delivery.isScheduled()).isFalse();
  }

  @Test
  void anAbandonedDeliveryFailsWithoutCountingAnAttempt() {
    // given
    Delivery claimed = retrying().claimedUntil(LATER);

    // when
    Delivery delivery = claimed.after(new AttemptResult.Abandoned("no webhook"));

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.FAILED,
                1,
                Optional.of(CREATED),
                Optional.empty(),
                Optional.of("no webhook"),
                Optional.empty()));
  }

  @Test
  void refusesToRecordAnAttemptOfADeliveryThatIsNotScheduled() {
    // given
    Delivery failed =
        Delivery.scheduled(CREATED)
            .claimedUntil(LEASE)
            .after(new AttemptResult.Failed(CREATED, "x"));

    // when / then
    assertThatThrownBy(() -> failed.after(new AttemptResult.Delivered(LATER, LATER)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Delivery.pending().after(new AttemptResult.Abandoned("x")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAcknowledgementDeliversAndEndsTheSchedule() {
    // when
    Delivery delivery = retrying().acknowledged(LATER);

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.DELIVERED,
                1,
                Optional.of(CREATED),
                Optional.empty(),
                Optional.of("HTTP 503"),
                Optional.of(LATER)));
  }

  @Test
  void aSecondAcknowledgementKeepsTheFirstDeliveryTime() {
    // given
    Delivery delivered = Delivery.pending().acknowledged(CREATED);

    // when / then
    assertThat(delivered.acknowledged(LATER)).isSameAs(delivered);
  }

  @Test
  void aRedeliveryIsPendingAgainFromZeroAttemptsAndKeepsTheLastAttemptAndError() {
    // given
    Delivery failed =
        retrying().claimedUntil(LATER).after(new AttemptResult.Failed(LEASE, "HTTP 500"));

    // when
    Delivery delivery = failed.redeliverAt(LATER);

    // then
    assertThat(delivery)
        .isEqualTo(
            new Delivery(
                DeliveryStatus.PENDING,
                0,
                Optional.of(LEASE),
                Optional.of(LATER),
                Optional.of("HTTP 500"),
                Optional.empty()));
    assertThat(delivery.isDueAt(LATER)).isTrue();
  }

  // ---- impossible states

  @Test
  void refusesNegativeAttempts() {
    assertRefused(DeliveryStatus.FAILED, -1, none(), none(), some("x"), none());
  }

  @Test
  void refusesAnAttemptWithoutItsTime() {
    assertRefused(DeliveryStatus.FAILED, 1, none(), none(), some("x"), none());
  }

  @Test
  void refusesADeliveryTimeUnlessDelivered() {
    assertRefused(DeliveryStatus.PENDING, 0, none(), none(), none(), Optional.of(CREATED));
    assertRefused(DeliveryStatus.FAILED, 1, Optional.of(CREATED), none(), some("x"), some(CREATED));
  }

  @Test
  void refusesADeliveredStateWithoutItsTime() {
    assertRefused(DeliveryStatus.DELIVERED, 0, none(), none(), none(), none());
  }

  @Test
  void refusesAPendingDeliveryWithAttempts() {
    assertRefused(DeliveryStatus.PENDING, 1, Optional.of(CREATED), none(), none(), none());
  }

  @Test
  void refusesARetryingDeliveryWithoutAttemptsErrorOrNextAttempt() {
    assertRefused(DeliveryStatus.RETRYING, 0, none(), some(LATER), some("x"), none());
    assertRefused(DeliveryStatus.RETRYING, 1, some(CREATED), none(), some("x"), none());
    assertRefused(DeliveryStatus.RETRYING, 1, some(CREATED), some(LATER), none(), none());
  }

  @Test
  void refusesADeliveredEventWithANextAttempt() {
    assertRefused(DeliveryStatus.DELIVERED, 0, none(), some(LATER), none(), some(CREATED));
  }

  @Test
  void refusesAFailedDeliveryWithANextAttemptOrWithoutAnError() {
    assertRefused(DeliveryStatus.FAILED, 1, some(CREATED), some(LATER), some("x"), none());
    assertRefused(DeliveryStatus.FAILED, 1, some(CREATED), none(), none(), none());
  }

  @Test
  void acceptsEveryStateTheTransitionsProduce() {
    // a reachable state next to each refused one, so the refusals above are not refusing all
    new Delivery(DeliveryStatus.FAILED, 0, none(), none(), some("x"), none());
    new Delivery(DeliveryStatus.PENDING, 0, some(CREATED), some(LATER), some("x"), none());
    new Delivery(DeliveryStatus.RETRYING, 1, some(CREATED), some(LATER), some("x"), none());
    new Delivery(DeliveryStatus.DELIVERED, 0, none(), none(), none(), some(CREATED));
    assertThat(Delivery.pending().status()).isEqualTo(DeliveryStatus.PENDING);
  }

  private static Delivery retrying() {
    return Delivery.scheduled(CREATED)
        .claimedUntil(LEASE)
        .after(new AttemptResult.Retrying(CREATED, "HTTP 503", LEASE));
  }

  private static void assertRefused(
      DeliveryStatus status,
      int attempts,
      Optional<Instant> lastAttemptAt,
      Optional<Instant> nextAttemptAt,
      Optional<String> lastError,
      Optional<Instant> deliveredAt) {
    assertThatThrownBy(
            () ->
                new Delivery(
                    status, attempts, lastAttemptAt, nextAttemptAt, lastError, deliveredAt))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static <T> Optional<T> some(T value) {
    return Optional.of(value);
  }

  private static <T> Optional<T> none() {
    return Optional.empty();
  }

  // ---- held deliveries and the summary

  @Test
  void holdsAScheduledDeliveryWithoutANextAttemptAndReleasesItDue() {
    // given
    Delivery retrying =
        Delivery.scheduled(CREATED)
            .claimedUntil(LEASE)
            .after(new AttemptResult.Retrying(CREATED, "HTTP 503", LATER));

    // when
    Delivery held = retrying.held();
    Delivery released = held.releasedAt(LATER);

    // then
    assertThat(held.status()).isEqualTo(DeliveryStatus.HELD);
    assertThat(held.isScheduled()).isFalse();
    assertThat(held.attempts()).isEqualTo(1);
    assertThat(released.status()).isEqualTo(DeliveryStatus.RETRYING);
    assertThat(released.isDueAt(LATER)).isTrue();
    assertThat(released.attempts()).isEqualTo(1);
  }

  @Test
  void releasesADeliveryHeldFromTheStartAsPending() {
    // when
    Delivery released = Delivery.heldBack().releasedAt(LATER);

    // then
    assertThat(released).isEqualTo(Delivery.scheduled(LATER));
  }

  @Test
  void neitherHoldsNorReleasesAFinishedDelivery() {
    // given
    Delivery delivered = Delivery.scheduled(CREATED).acknowledged(LATER);

    // when / then
    assertThat(delivered.held()).isEqualTo(delivered);
    assertThat(delivered.releasedAt(LATER)).isEqualTo(delivered);
    assertThat(Delivery.scheduled(CREATED).releasedAt(LATER))
        .isEqualTo(Delivery.scheduled(CREATED));
  }

  @Test
  void summarizesDeliveriesByTheLeastAdvanced() {
    // given
    Delivery delivered = Delivery.scheduled(CREATED).acknowledged(LATER);
    Delivery failed =
        Delivery.scheduled(CREATED)
            .claimedUntil(LEASE)
            .after(new AttemptResult.Failed(CREATED, "HTTP 410"));
    Delivery held = Delivery.heldBack();

    // when / then
    assertThat(Delivery.leastAdvanced(List.of(delivered, failed), Delivery.pending()))
        .isEqualTo(failed);
    assertThat(Delivery.leastAdvanced(List.of(delivered, held, failed), Delivery.pending()))
        .isEqualTo(held);
    assertThat(Delivery.leastAdvanced(List.of(held, Delivery.scheduled(LATER)), Delivery.pending()))
        .isEqualTo(Delivery.scheduled(LATER));
    assertThat(Delivery.leastAdvanced(List.of(delivered), Delivery.pending())).isEqualTo(delivered);
    assertThat(Delivery.leastAdvanced(List.of(), Delivery.pending())).isEqualTo(Delivery.pending());
  }

  @Test
  void refusesAHeldDeliveryWithANextAttempt() {
    assertThatThrownBy(
            () ->
                new Delivery(
                    DeliveryStatus.HELD,
                    0,
                    Optional.empty(),
                    Optional.of(LATER),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

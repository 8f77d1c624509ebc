package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

  @Test
  void grantsReservationsUntilTheBudgetIsSpent() {
    // given
    BodyBudget budget = new BodyBudget(100);
    BodyBudget.Reservation first = budget.reservation();
    BodyBudget.Reservation second = budget.reservation();

    // when
    boolean firstGrown = first.grow(60);
    boolean secondRefused = second.grow(41);
    boolean secondGrown = second.grow(40);

    // then
    assertThat(firstGrown).isTrue();
    assertThat(secondRefused).isFalse();
    assertThat(secondGrown).isTrue();
    assertThat(budget.used()).isEqualTo(100);
    assertThat(second.held()).isEqualTo(40);
  }

  @Test
  void givesEverythingBackOnceHoweverOftenItIsReleased() {
    // given
    BodyBudget budget = new BodyBudget(100);
    BodyBudget.Reservation reservation = budget.reservation();
    reservation.grow(30);
    reservation.grow(30);

    // when
    reservation.release();
    reservation.release();

    // then
    assertThat(budget.used()).isZero();
    assertThat(reservation.held()).isZero();
  }

  @Test
  void reservesNothingMoreOnceReleased() {
    // given
    BodyBudget budget = new BodyBudget(100);
    BodyBudget.Reservation reservation = budget.reservation();
    reservation.release();

    // when
    boolean grown = reservation.grow(10);

    // then
    assertThat(grown).isFalse();
    assertThat(budget.used()).isZero();
  }

  @Test
  void holdsTheTotalUnderManyThreadsAtOnce() throws InterruptedException {
    // given
    BodyBudget budget = new BodyBudget(1_000);
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 10_000; i++) {
                      BodyBudget.Reservation reservation = budget.reservation();
                      if (reservation.grow(300)) {
                        assertThat(budget.used()).isLessThanOrEqualTo(1_000);
                      }
                      reservation.release();
                    }
                  });
    }

    // when
    for (Thread thread : threads) {
      thread.join();
    }

    // then
    assertThat(budget.used()).isZero();
  }

  @Test
  void refusesAnEmptyBudget() {
    assertThatThrownBy(() -> new BodyBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }
}

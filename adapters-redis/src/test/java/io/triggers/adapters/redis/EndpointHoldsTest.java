package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisException;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.FailureLog;
import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointHoldsTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);

  private final FailureLog failures =
      new FailureLog(
          System.getLogger(EndpointHoldsTest.class.getName()),
          System.Logger.Level.DEBUG,
          "Holding back delivery tasks",
          Duration.ofMinutes(1));

  /** Holds that Redis never takes: these tests check what the node knows without asking it. */
  private final EndpointHolds holds =
      new EndpointHolds(
          () -> {
            throw new RedisException("Redis is down");
          },
          clock,
          failures);

  private final EndpointId endpoint = fixtures.ids().newEndpointId();

  @Test
  void anOwnHoldCoversTheTasksDueBeforeItEndsUntilItEndsOrIsEnded() {
    // given
    holds.own(endpoint, clock.instant().plusSeconds(30));

    // then
    assertThat(holds.holds(task(endpoint, Duration.ZERO), clock.instant())).isTrue();
    assertThat(holds.holds(task(endpoint, Duration.ofSeconds(29)), clock.instant())).isTrue();
    assertThat(holds.holds(task(endpoint, Duration.ofSeconds(30)), clock.instant())).isFalse();
    assertThat(holds.holds(task(fixtures.ids().newEndpointId(), Duration.ZERO), clock.instant()))
        .isFalse();

    // and when it is ended now
    holds.own(endpoint, clock.instant());
    assertThat(holds.holds(task(endpoint, Duration.ZERO), clock.instant())).isFalse();
  }

  @Test
  void aReportedHoldIsTrustedForASecondAtMost() {
    // given: another node's hold for a minute, reported by a run
    holds.reported(endpoint, clock.instant().plusSeconds(60));

    // when
    boolean atOnce = holds.holds(task(endpoint, Duration.ZERO), clock.instant());
    clock.advance(EndpointHolds.RECHECK);
    boolean aSecondLater = holds.holds(task(endpoint, Duration.ZERO), clock.instant());

    // then
    assertThat(atOnce).isTrue();
    assertThat(aSecondLater).isFalse();
  }

  @Test
  void aReportedHoldShortensNoLongerOneThisNodeKnows() {
    // given
    Instant ownEnd = clock.instant().plusSeconds(60);
    holds.own(endpoint, ownEnd);

    // when
    holds.reported(endpoint, clock.instant().plusSeconds(5));
    clock.advance(Duration.ofSeconds(30));

    // then
    assertThat(holds.holds(task(endpoint, Duration.ZERO), clock.instant())).isTrue();
  }

  @Test
  void aHoldRedisCannotTakeIsLoggedAndStillKeptHereWithoutThrowing() {
    // when: Redis is down as the node backs off
    holds.own(endpoint, clock.instant().plusSeconds(30));

    // then: the failure is counted, and this node still sends none of the endpoint's tasks
    assertThat(failures.total()).isEqualTo(1);
    assertThat(holds.notHeld(List.of(task(endpoint, Duration.ZERO)), clock.instant())).isEmpty();
  }

  @Test
  void passesTheTasksThemselvesOnWhileNoHoldIsKnown() {
    // given
    List<DeliveryTask> tasks = List.of(task(endpoint, Duration.ZERO));

    // then: no copy on the ingest path
    assertThat(holds.notHeld(tasks, clock.instant())).isSameAs(tasks);
  }

  private DeliveryTask task(EndpointId endpoint, Duration dueIn) {
    return new DeliveryTask(
        fixtures.organization().id(), fixtures.eventId(), endpoint, clock.instant().plus(dueIn));
  }
}

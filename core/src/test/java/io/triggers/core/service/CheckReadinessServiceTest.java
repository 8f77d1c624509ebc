package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Health;
import io.triggers.core.port.in.CheckReadiness.Readiness;
import io.triggers.core.port.out.HealthCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckReadinessServiceTest {

  private static final Health UP = Health.up();
  private static final Health DEGRADED =
      new Health(Health.Status.DEGRADED, "serving from the local fallback");
  private static final Health DOWN = new Health(Health.Status.DOWN, "connection refused");

  @Test
  void isReadyWhenEveryDependencyIsUp() {
    // given
    CheckReadinessService service =
        new CheckReadinessService(List.of(check("postgres", UP), check("redis", UP)));

    // when
    Readiness readiness = service.check();

    // then
    assertThat(readiness).isEqualTo(new Readiness(true, Map.of("postgres", UP, "redis", UP)));
  }

  @Test
  void isStillReadyWhenADependencyIsDegraded() {
    // given
    CheckReadinessService service =
        new CheckReadinessService(List.of(check("postgres", UP), check("redis", DEGRADED)));

    // when
    Readiness readiness = service.check();

    // then
    assertThat(readiness.ready()).isTrue();
    assertThat(readiness.checks()).containsEntry("redis", DEGRADED);
  }

  @Test
  void isNotReadyWhenADependencyIsDown() {
    // given
    CheckReadinessService service =
        new CheckReadinessService(List.of(check("postgres", DOWN), check("redis", UP)));

    // when
    Readiness readiness = service.check();

    // then
    assertThat(readiness).isEqualTo(new Readiness(false, Map.of("postgres", DOWN, "redis", UP)));
  }

  @Test
  void isReadyWithNoDependencies() {
    // when / then
    assertThat(new CheckReadinessService(List.of()).check())
        .isEqualTo(new Readiness(true, Map.of()));
  }

  @Test
  void asksEachDependencyAfreshEveryTime() {
    // given
    SwitchableCheck postgres = new SwitchableCheck();
    CheckReadinessService service = new CheckReadinessService(List.of(postgres));
    service.check();

    // when
    postgres.health = DOWN;

    // then
    assertThat(service.check().ready()).isFalse();
  }

  @Test
  void isLiveWhileADownDependencyCanStillBeBroughtBack() {
    // given
    CheckReadinessService service =
        new CheckReadinessService(List.of(check("postgres", DOWN), check("redis", DEGRADED)));

    // when / then
    assertThat(service.live()).isTrue();
  }

  @Test
  void isNotLiveOnceADependencyNeedsTheProcessRestarted() {
    // given
    SwitchableCheck postgres = new SwitchableCheck();
    CheckReadinessService service =
        new CheckReadinessService(List.of(check("redis", UP), postgres));
    assertThat(service.live()).isTrue();

    // when
    postgres.live = false;

    // then
    assertThat(service.live()).isFalse();
  }

  private static HealthCheck check(String name, Health health) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Health check() {
        return health;
      }
    };
  }

  /** A dependency whose health a test changes. */
  private static final class SwitchableCheck implements HealthCheck {

    volatile Health health = UP;
    volatile boolean live = true;

    @Override
    public String name() {
      return "postgres";
    }

    @Override
    public Health check() {
      return health;
    }

    @Override
    public boolean live() {
      return live;
    }
  }
}

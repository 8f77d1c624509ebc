package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurgeExpiredEventsServiceTest {

  private static final Duration RETENTION = Duration.ofDays(7);

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final PurgeExpiredEventsService retention =
      new PurgeExpiredEventsService(store, clock, RETENTION);

  @Test
  void deletesEveryEventOlderThanTheRetentionAcrossManyBatches() {
    // given more old events than one batch holds, and one younger event
    OrganizationId organization = fixtures.organization().id();
    List<Event> old = new ArrayList<>();
    for (int i = 0; i < PurgeExpiredEventsService.BATCH_SIZE + 10; i++) {
      Event event = fixtures.event(organization);
      store.append(List.of(event), DeliveryMethod.PULL);
      old.add(event);
    }
    clock.advance(Duration.ofDays(1));
    Event younger = fixtures.event(organization);
    store.append(List.of(younger), DeliveryMethod.PULL);
    clock.advance(RETENTION.minus(Duration.ofHours(1)));

    // when
    int deleted = retention.purgeExpired();

    // then
    assertThat(deleted).isEqualTo(old.size());
    assertThat(store.find(organization, old.get(0).id())).isEmpty();
    assertThat(store.find(organization, younger.id())).isPresent();
  }

  @Test
  void keepsAnEventUntilItIsOlderThanTheRetention() {
    // given
    OrganizationId organization = fixtures.organization().id();
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PULL);

    // when / then
    clock.advance(RETENTION);
    assertThat(retention.purgeExpired()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(retention.purgeExpired()).isEqualTo(1);
  }
}

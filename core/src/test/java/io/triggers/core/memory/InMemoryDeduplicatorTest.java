package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.DeduplicatorContract;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryDeduplicatorTest extends DeduplicatorContract {

  @Override
  protected Deduplicator newDeduplicator(MutableClock clock, Duration ttl) {
    return new InMemoryDeduplicator(clock, ttl, 10_000);
  }

  @Test
  void holdsAClaimWhoseTimeToLiveIsTooLongForNanoseconds() {
    // given
    InMemoryDeduplicator deduplicator =
        new InMemoryDeduplicator(clock, Duration.ofSeconds(Long.MAX_VALUE), 10);
    OrganizationId organization = fixtures.organization().id();
    EventId holder = fixtures.eventId();
    deduplicator.claim(organization, new DedupId("a"), holder);

    // when
    clock.advance(Duration.ofDays(365 * 50));

    // then
    assertThat(deduplicator.claim(organization, new DedupId("a"), fixtures.eventId()))
        .contains(holder);
  }

  @Test
  void forgetsTheOldestClaimsWhenFull() {
    // given
    InMemoryDeduplicator deduplicator = new InMemoryDeduplicator(clock, ttl(), 2);
    OrganizationId organization = fixtures.organization().id();
    EventId oldest = fixtures.eventId();
    EventId middle = fixtures.eventId();
    EventId newest = fixtures.eventId();
    deduplicator.claim(organization, new DedupId("a"), oldest);
    deduplicator.claim(organization, new DedupId("b"), middle);

    // when
    deduplicator.claim(organization, new DedupId("c"), newest);

    // then
    assertThat(deduplicator.claim(organization, new DedupId("a"), fixtures.eventId())).isEmpty();
    assertThat(deduplicator.claim(organization, new DedupId("c"), fixtures.eventId()))
        .contains(newest);
  }

  @Test
  void aClaimRenewedAfterExpiryOutlivesItsPredecessorsTrimming() {
    // given
    InMemoryDeduplicator deduplicator = new InMemoryDeduplicator(clock, ttl(), 100);
    OrganizationId organization = fixtures.organization().id();
    DedupId dedupId = new DedupId("renewed");
    deduplicator.claim(organization, dedupId, fixtures.eventId());
    clock.advance(ttl());
    EventId renewed = fixtures.eventId();
    deduplicator.claim(organization, dedupId, renewed);

    // when
    clock.advance(Duration.ofSeconds(1));
    deduplicator.claim(organization, new DedupId("trigger trimming"), fixtures.eventId());

    // then
    assertThat(deduplicator.claim(organization, dedupId, fixtures.eventId())).contains(renewed);
  }
}

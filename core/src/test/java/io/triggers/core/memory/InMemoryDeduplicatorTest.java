package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.DeduplicatorContract;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  void refusesASizeItsArraysCouldNotHold() {
    assertThatThrownBy(
            () -> new InMemoryDeduplicator(clock, ttl(), InMemoryDeduplicator.MOST_ENTRIES + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
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

  @Test
  void keepsApartDedupIdsThatShareAHashAndNeverNamesAnotherIdsHolder() {
    // given: "Aa" and "BB" have the same String hash, and so has every string of them
    InMemoryDeduplicator deduplicator = new InMemoryDeduplicator(clock, ttl(), 10_000);
    OrganizationId organization = fixtures.organization().id();
    Map<String, EventId> holders = new LinkedHashMap<>();
    for (String dedupId : sameHashStrings(6)) {
      EventId holder = fixtures.eventId();
      assertThat(deduplicator.claim(organization, new DedupId(dedupId), holder)).isEmpty();
      holders.put(dedupId, holder);
    }

    // when
    List<String> remembered = new ArrayList<>();
    holders.forEach(
        (dedupId, holder) ->
            deduplicator
                .claim(organization, new DedupId(dedupId), fixtures.eventId())
                .ifPresent(
                    found -> {
                      // then: a claim is either forgotten or reported with its own holder
                      assertThat(found).isEqualTo(holder);
                      remembered.add(dedupId);
                    }));

    // then: a bounded search keeps the first ones, not all 64
    assertThat(remembered)
        .startsWith(List.copyOf(holders.keySet()).subList(0, 8).toArray(new String[0]));
  }

  @Test
  void holdsManyClaimsWithTheLongestDedupIds() {
    // given
    InMemoryDeduplicator deduplicator = new InMemoryDeduplicator(clock, ttl(), 10_000);
    OrganizationId organization = fixtures.organization().id();
    Map<DedupId, EventId> holders = new LinkedHashMap<>();
    for (int i = 0; i < 2_000; i++) {
      DedupId dedupId = new DedupId(String.format("%0" + DedupId.MAX_LENGTH + "d", i));
      EventId holder = fixtures.eventId();
      deduplicator.claim(organization, dedupId, holder);
      holders.put(dedupId, holder);
    }

    // when / then
    holders.forEach(
        (dedupId, holder) ->
            assertThat(deduplicator.claim(organization, dedupId, fixtures.eventId()))
                .contains(holder));
  }

  /** All 2^blocks strings of that many "Aa" or "BB" blocks, which share one String hash. */
  private static List<String> sameHashStrings(int blocks) {
    List<String> strings = List.of("");
    for (int i = 0; i < blocks; i++) {
      List<String> longer = new ArrayList<>();
      for (String s : strings) {
        longer.add(s + "Aa");
        longer.add(s + "BB");
      }
      strings = longer;
    }
    return strings;
  }
}

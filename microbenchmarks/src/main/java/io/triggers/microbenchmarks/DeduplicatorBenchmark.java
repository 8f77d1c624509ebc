package io.triggers.microbenchmarks;

import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-process dedup check of single-node mode, sized as the server sizes it (100,000 claims, an
 * hour to live): claiming a dedup id seen for the first time, and claiming one that another event
 * holds. The new ids come round again only after four times as many others, by when the full table
 * has forgotten them, so every new claim is one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeduplicatorBenchmark {

  static final int CAPACITY = 100_000;
  static final int NEW_IDS = 4 * CAPACITY;
  static final int HELD_IDS = 10_000;
  private static final int ORGANIZATIONS = 64;

  private InMemoryDeduplicator deduplicator;
  private OrganizationId[] organizations;
  private DedupId[] newIds;
  private DedupId[] heldIds;
  private EventId[] candidates;

  @Setup
  public void setUp() {
    Clock clock = Clock.tickMillis(ZoneOffset.UTC);
    deduplicator = new InMemoryDeduplicator(clock, Duration.ofHours(1), CAPACITY);
    SecureIdGenerator ids = new SecureIdGenerator(clock);
    organizations = new OrganizationId[ORGANIZATIONS];
    for (int i = 0; i < ORGANIZATIONS; i++) {
      organizations[i] = ids.newOrganizationId();
    }
    // Like the ingest benchmark's dedup ids: a run label, then a request number.
    newIds = new DedupId[NEW_IDS];
    for (int i = 0; i < NEW_IDS; i++) {
      newIds[i] = new DedupId("1764219600-4242-embedded-1-" + i);
    }
    candidates = new EventId[HELD_IDS];
    heldIds = new DedupId[HELD_IDS];
    for (int i = 0; i < HELD_IDS; i++) {
      candidates[i] = ids.newEventId();
      heldIds[i] = new DedupId("held-" + i);
      deduplicator.claim(organization(i), heldIds[i], ids.newEventId());
    }
  }

  @Benchmark
  public Optional<EventId> claimNewId(RoundRobin walk) {
    int i = walk.next(NEW_IDS);
    return deduplicator.claim(organization(i), newIds[i], candidates[i % HELD_IDS]);
  }

  @Benchmark
  @Threads(Threads.MAX)
  public Optional<EventId> claimNewIdAllThreads(RoundRobin walk) {
    int i = walk.next(NEW_IDS);
    return deduplicator.claim(organization(i), newIds[i], candidates[i % HELD_IDS]);
  }

  @Benchmark
  public Optional<EventId> claimHeldId(RoundRobin walk) {
    int i = walk.next(HELD_IDS);
    return deduplicator.claim(organization(i), heldIds[i], candidates[i]);
  }

  private OrganizationId organization(int i) {
    return organizations[i % ORGANIZATIONS];
  }
}

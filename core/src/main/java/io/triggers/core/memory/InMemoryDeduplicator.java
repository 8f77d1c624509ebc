package io.triggers.core.memory;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dedup claims held in this process's memory, each for a fixed time to live, about {@code
 * maxEntries} at most; when full it forgets the oldest claims first.
 */
public final class InMemoryDeduplicator implements Deduplicator {

  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final ConcurrentMap<Key, Claim> claims = new ConcurrentHashMap<>();
  // Claims in the order they were made, which with one time to live is also the order they
  // expire in. Released or replaced claims stay here until trimmed; the count bounds them too.
  private final Queue<Made> made = new ConcurrentLinkedQueue<>();
  private final AtomicInteger madeCount = new AtomicInteger();
  private final ReentrantLock trimming = new ReentrantLock();

  public InMemoryDeduplicator(Clock clock, Duration ttl, int maxEntries) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  @Override
  public Optional<EventId> claim(OrganizationId organization, DedupId dedupId, EventId candidate) {
    Instant now = clock.instant();
    Key key = new Key(organization, dedupId);
    Claim[] created = new Claim[1];
    Claim held =
        claims.compute(
            key,
            (k, current) -> {
              if (current != null && current.expiresAt.isAfter(now)) {
                return current;
              }
              created[0] = new Claim(candidate, now.plus(ttl));
              return created[0];
            });
    if (created[0] != null) {
      made.add(new Made(key, created[0]));
      madeCount.incrementAndGet();
      trim(now);
    }
    return held.holder.equals(candidate) ? Optional.empty() : Optional.of(held.holder);
  }

  @Override
  public void release(OrganizationId organization, DedupId dedupId, EventId candidate) {
    claims.computeIfPresent(
        new Key(organization, dedupId),
        (key, current) -> current.holder.equals(candidate) ? null : current);
  }

  /** Drops expired claims, then the oldest ones while over the bound; one thread at a time. */
  private void trim(Instant now) {
    if (!trimming.tryLock()) {
      return;
    }
    try {
      Made oldest;
      while ((oldest = made.peek()) != null
          && (madeCount.get() > maxEntries || !oldest.claim.expiresAt.isAfter(now))) {
        made.poll();
        madeCount.decrementAndGet();
        claims.remove(oldest.key, oldest.claim);
      }
    } finally {
      trimming.unlock();
    }
  }

  private record Key(OrganizationId organization, DedupId dedupId) {}

  /** Compared by identity, so trimming an old claim never removes a newer one for the same key. */
  private static final class Claim {
    final EventId holder;
    final Instant expiresAt;

    Claim(EventId holder, Instant expiresAt) {
      this.holder = holder;
      this.expiresAt = expiresAt;
    }
  }

  private record Made(Key key, Claim claim) {}
}

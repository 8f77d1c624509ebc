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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dedup claims held in this process's memory, each for a fixed time to live, about {@code
 * maxEntries} at most; when full it forgets the oldest claims first.
 *
 * <p>A claim is kept small (about 200 bytes with its key and dedup id), since the claims are most
 * of what a busy server keeps alive between collections: the holder's id as two longs and the
 * expiry as nanoseconds, not as objects of their own.
 */
public final class InMemoryDeduplicator implements Deduplicator {

  /** Longer times to live are cut to this, which still fits in nanoseconds after any date. */
  private static final Duration LONGEST_TTL = Duration.ofDays(100 * 365);

  private final Clock clock;
  private final long ttlNanos;
  private final int maxEntries;
  private final ConcurrentMap<Key, Claim> claims = new ConcurrentHashMap<>();
  // Claims in the order they were made, which with one time to live is also the order they
  // expire in. Released or replaced claims stay here until trimmed; the count bounds them too.
  private final Queue<Claim> made = new ConcurrentLinkedQueue<>();
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
    this.ttlNanos = (ttl.compareTo(LONGEST_TTL) > 0 ? LONGEST_TTL : ttl).toNanos();
    this.maxEntries = maxEntries;
  }

  @Override
  public Optional<EventId> claim(OrganizationId organization, DedupId dedupId, EventId candidate) {
    long now = epochNanos(clock.instant());
    Key key = new Key(organization, dedupId.value());
    Claim[] created = new Claim[1];
    Claim held =
        claims.compute(
            key,
            (k, current) -> {
              if (current != null && current.expiresAt - now > 0) {
                return current;
              }
              created[0] = new Claim(k, candidate, now + ttlNanos);
              return created[0];
            });
    if (created[0] != null) {
      made.add(created[0]);
      madeCount.incrementAndGet();
      trim(now);
    }
    return held.isHeldBy(candidate) ? Optional.empty() : Optional.of(held.holder());
  }

  @Override
  public void release(OrganizationId organization, DedupId dedupId, EventId candidate) {
    claims.computeIfPresent(
        new Key(organization, dedupId.value()),
        (key, current) -> current.isHeldBy(candidate) ? null : current);
  }

  /** Drops expired claims, then the oldest ones while over the bound; one thread at a time. */
  private void trim(long now) {
    if (!trimming.tryLock()) {
      return;
    }
    try {
      Claim oldest;
      while ((oldest = made.peek()) != null
          && (madeCount.get() > maxEntries || oldest.expiresAt - now <= 0)) {
        made.poll();
        madeCount.decrementAndGet();
        claims.remove(oldest.key, oldest);
      }
    } finally {
      trimming.unlock();
    }
  }

  /** Nanoseconds since the epoch: a long holds them until the year 2262. */
  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private record Key(OrganizationId organization, String dedupId) {}

  /** Compared by identity, so trimming an old claim never removes a newer one for the same key. */
  private static final class Claim {
    final Key key;
    final long holderHigh;
    final long holderLow;
    final long expiresAt;

    Claim(Key key, EventId holder, long expiresAt) {
      this.key = key;
      this.holderHigh = holder.value().getMostSignificantBits();
      this.holderLow = holder.value().getLeastSignificantBits();
      this.expiresAt = expiresAt;
    }

    boolean isHeldBy(EventId candidate) {
      return holderHigh == candidate.value().getMostSignificantBits()
          && holderLow == candidate.value().getLeastSignificantBits();
    }

    EventId holder() {
      return new EventId(new UUID(holderHigh, holderLow));
    }
  }
}

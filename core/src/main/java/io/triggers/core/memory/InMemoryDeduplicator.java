package io.triggers.core.memory;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dedup claims held in this process's memory, each for a fixed time to live, about {@code
 * maxEntries} at most; when full it forgets the oldest half of its claims.
 *
 * <p>The claims live in two generations of primitive arrays, not in an object each: on a busy
 * server they are most of what stays alive between collections, and arrays of numbers cost the
 * garbage collector nothing to keep. New claims go to the current generation; when it holds half of
 * {@code maxEntries}, the older generation forgets its claims and takes the new ones.
 */
public final class InMemoryDeduplicator implements Deduplicator {

  /** Longer times to live are cut to this, which still fits in nanoseconds after any date. */
  private static final Duration LONGEST_TTL = Duration.ofDays(100 * 365);

  /**
   * The most claims, so that every array, that of the dedup ids of up to 255 characters too, stays
   * within an int's reach; so many take gigabytes.
   */
  static final int MOST_ENTRIES = 1 << 23;

  private final Clock clock;
  private final long ttlNanos;
  private final ReentrantLock lock = new ReentrantLock();
  // Both generations live as long as this: the older is cleared to become the current one.
  private Generation current;
  private Generation older;

  /** Keeps each claim for {@code ttl}, and at most {@code maxEntries} claims. */
  public InMemoryDeduplicator(Clock clock, Duration ttl, int maxEntries) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (maxEntries < 1 || maxEntries > MOST_ENTRIES) {
      throw new IllegalArgumentException("maxEntries must be between 1 and " + MOST_ENTRIES);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttlNanos = (ttl.compareTo(LONGEST_TTL) > 0 ? LONGEST_TTL : ttl).toNanos();
    int generationSize = Math.max(1, maxEntries / 2);
    this.current = new Generation(generationSize);
    this.older = new Generation(generationSize);
  }

  @Override
  public Optional<EventId> claim(OrganizationId organization, DedupId dedupId, EventId candidate) {
    long now = epochNanos(clock.instant());
    UUID org = organization.value();
    String key = dedupId.value();
    UUID holder = candidate.value();
    lock.lock();
    try {
      int found = current.find(org, key);
      Optional<EventId> held = current.heldAt(found, now);
      if (held.isEmpty()) {
        held = older.heldAt(older.find(org, key), now);
      }
      if (held.isPresent()) {
        return held.get().value().equals(holder) ? Optional.empty() : held;
      }
      if (found >= 0) {
        current.renew(found, holder, now + ttlNanos);
      } else {
        if (current.isFull()) {
          Generation dropped = older;
          older = current;
          current = dropped.cleared();
          found = current.find(org, key);
        }
        current.insert(found, org, key, holder, now + ttlNanos);
      }
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void release(OrganizationId organization, DedupId dedupId, EventId candidate) {
    long now = epochNanos(clock.instant());
    lock.lock();
    try {
      for (Generation generation : new Generation[] {current, older}) {
        generation.release(
            generation.find(organization.value(), dedupId.value()), candidate.value(), now);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Nanoseconds since the epoch: a long holds them until the year 2262. */
  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /**
   * Up to {@code size} claims in an open-addressing table of at least twice as many slots; the
   * dedup ids are appended to one char array. Nothing is removed: a released or expired claim keeps
   * its slot, and its key takes it again. A key is looked for in a few slots from its hash only, so
   * that keys made to share a hash cost a bounded search; a key that finds no free slot there is
   * not remembered, which the store's own check makes harmless.
   */
  private static final class Generation {

    private static final int PROBES = 16;

    /** {@link #find} found neither the key nor a free slot. */
    private static final int NO_ROOM = Integer.MIN_VALUE;

    private final int size;
    private final int mask;
    private final long[] orgHigh;
    private final long[] orgLow;
    private final long[] holderHigh;
    private final long[] holderLow;
    private final long[] expiresAt;
    private final int[] keyStart;

    /** 0 marks a free slot: a dedup id is never empty. */
    private final short[] keyLength;

    private char[] keys;
    private int keysUsed;
    private int used;

    Generation(int size) {
      this.size = size;
      int slots = 4;
      while (slots < 2L * size) {
        slots <<= 1;
      }
      this.mask = slots - 1;
      this.orgHigh = new long[slots];
      this.orgLow = new long[slots];
      this.holderHigh = new long[slots];
      this.holderLow = new long[slots];
      this.expiresAt = new long[slots];
      this.keyStart = new int[slots];
      this.keyLength = new short[slots];
      this.keys = new char[Math.min(size, 1024) * 32];
    }

    /** Forgets every claim, keeping the arrays. */
    Generation cleared() {
      Arrays.fill(keyLength, (short) 0);
      keysUsed = 0;
      used = 0;
      return this;
    }

    boolean isFull() {
      return used >= size;
    }

    /**
     * The slot holding this key, or, when it is not there, {@code -(free slot) - 1} where it would
     * go, or {@link #NO_ROOM}.
     */
    int find(UUID org, String key) {
      long high = org.getMostSignificantBits();
      long low = org.getLeastSignificantBits();
      int start = hash(high, low, key);
      for (int probe = 0; probe < PROBES; probe++) {
        int slot = (start + probe) & mask;
        if (keyLength[slot] == 0) {
          return -slot - 1;
        }
        if (orgHigh[slot] == high && orgLow[slot] == low && holdsKey(slot, key)) {
          return slot;
        }
      }
      return NO_ROOM;
    }

    /** The holder of the claim found at {@code slot}, if it is there and still alive. */
    Optional<EventId> heldAt(int slot, long now) {
      if (slot < 0 || expiresAt[slot] - now <= 0) {
        return Optional.empty();
      }
      return Optional.of(new EventId(new UUID(holderHigh[slot], holderLow[slot])));
    }

    void renew(int slot, UUID holder, long expiry) {
      holderHigh[slot] = holder.getMostSignificantBits();
      holderLow[slot] = holder.getLeastSignificantBits();
      expiresAt[slot] = expiry;
    }

    /** Takes the free slot that {@link #find} returned for this key, if it returned one. */
    void insert(int found, UUID org, String key, UUID holder, long expiry) {
      if (found == NO_ROOM) {
        return;
      }
      int slot = -found - 1;
      if (keys.length - keysUsed < key.length()) {
        keys =
            Arrays.copyOf(keys, Math.max(keys.length + keys.length / 2, keysUsed + key.length()));
      }
      key.getChars(0, key.length(), keys, keysUsed);
      keyStart[slot] = keysUsed;
      keyLength[slot] = (short) key.length();
      keysUsed += key.length();
      orgHigh[slot] = org.getMostSignificantBits();
      orgLow[slot] = org.getLeastSignificantBits();
      renew(slot, holder, expiry);
      used++;
    }

    /** Ends the claim found at {@code slot} if {@code holder} holds it. */
    void release(int slot, UUID holder, long now) {
      if (slot >= 0
          && holderHigh[slot] == holder.getMostSignificantBits()
          && holderLow[slot] == holder.getLeastSignificantBits()) {
        expiresAt[slot] = now;
      }
    }

    private boolean holdsKey(int slot, String key) {
      int length = keyLength[slot];
      if (length != key.length()) {
        return false;
      }
      int start = keyStart[slot];
      for (int i = 0; i < length; i++) {
        if (keys[start + i] != key.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private static int hash(long orgHigh, long orgLow, String key) {
      long h = orgHigh * 0x9E3779B97F4A7C15L ^ orgLow ^ key.hashCode() * 0xC2B2AE3D27D4EB4FL;
      h ^= h >>> 33;
      h *= 0xFF51AFD7ED558CCDL;
      h ^= h >>> 33;
      return (int) h;
    }
  }
}

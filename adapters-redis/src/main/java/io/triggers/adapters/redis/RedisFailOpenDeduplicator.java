package io.triggers.adapters.redis;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Dedup claims shared by every node through Redis; while Redis is unavailable every claim is
 * granted, so that the event store, whose unique index is the authority anyway, alone decides what
 * is a duplicate.
 */
public final class RedisFailOpenDeduplicator implements Deduplicator {

  private final Deduplicator shared;
  private final RedisOutage outage;

  /**
   * {@code shared} is the Redis deduplicator; {@code nanoTime} (as {@link System#nanoTime}) times
   * the attempts to go back to it.
   */
  public RedisFailOpenDeduplicator(Deduplicator shared, LongSupplier nanoTime) {
    this.shared = Objects.requireNonNull(shared, "shared");
    this.outage =
        new RedisOutage("dedup", "only PostgreSQL's unique index refuses duplicates", nanoTime);
  }

  @Override
  public Optional<EventId> claim(OrganizationId organization, DedupId dedupId, EventId candidate) {
    if (outage.shouldAskRedis()) {
      try {
        Optional<EventId> holder = shared.claim(organization, dedupId, candidate);
        outage.succeeded();
        return holder;
      } catch (RedisUnavailableException e) {
        outage.failed(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public List<Optional<EventId>> claimAll(OrganizationId organization, List<Claim> claims) {
    if (outage.shouldAskRedis()) {
      try {
        List<Optional<EventId>> holders = shared.claimAll(organization, claims);
        outage.succeeded();
        return holders;
      } catch (RedisUnavailableException e) {
        outage.failed(e);
      }
    }
    return Collections.nCopies(claims.size(), Optional.empty());
  }

  /** Skipped while Redis fails: the claim then expires, and proves nothing meanwhile. */
  @Override
  public void release(OrganizationId organization, DedupId dedupId, EventId candidate) {
    if (outage.isOngoing()) {
      return;
    }
    try {
      shared.release(organization, dedupId, candidate);
    } catch (RedisUnavailableException e) {
      outage.failed(e);
    }
  }

  /** Whether Redis failed and has not answered since, so that the fallback serves; cheap. */
  public boolean isFallingBack() {
    return outage.isOngoing();
  }
}

package io.triggers.core.port.out;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.Optional;

/**
 * A fast first check of dedup ids, in front of the {@link EventStore}, which stays the authority.
 *
 * <p>Thread-safe; claims are atomic, so of two concurrent claims of the same id exactly one wins.
 * Claims expire after the retention period. An implementation may forget claims early (the store
 * still refuses the duplicate), but must never report a duplicate that was not claimed.
 */
public interface Deduplicator {

  /**
   * Claims {@code dedupId} for {@code candidate}. Returns empty if the claim is now held by {@code
   * candidate} (also when it already was), or the id of the event that holds it.
   */
  Optional<EventId> claim(OrganizationId organization, DedupId dedupId, EventId candidate);

  /** Drops a claim held by {@code candidate} whose event was not stored. Idempotent. */
  void release(OrganizationId organization, DedupId dedupId, EventId candidate);
}

package io.triggers.core.port.out;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fast first check of dedup ids, in front of the {@link EventLog}, which stays the authority.
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

  /**
   * Claims each dedup id for its candidate, in order, answering for each as {@link #claim} does: a
   * later claim of an id claimed earlier in the list names that earlier candidate. An
   * implementation may send the claims together rather than one after another.
   */
  default List<Optional<EventId>> claimAll(OrganizationId organization, List<Claim> claims) {
    List<Optional<EventId>> holders = new ArrayList<>(claims.size());
    for (Claim claim : claims) {
      holders.add(claim(organization, claim.dedupId(), claim.candidate()));
    }
    return holders;
  }

  /** Drops a claim held by {@code candidate} whose event was not stored. Idempotent. */
  void release(OrganizationId organization, DedupId dedupId, EventId candidate);

  /** One dedup id to claim for one candidate event. */
  record Claim(DedupId dedupId, EventId candidate) {}
}

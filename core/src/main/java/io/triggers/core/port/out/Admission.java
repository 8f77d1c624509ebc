package io.triggers.core.port.out;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lets events into ingest: takes them from the organization's allowance, as a {@link RateLimiter}
 * does, and only if they fit claims their dedup ids, as a {@link Deduplicator} does. Both are one
 * call, so that an implementation may decide them in one round trip.
 *
 * <p>Thread-safe. The allowance and the claims follow the contracts of those two ports; a claim is
 * dropped again through the {@link Deduplicator}. An implementation that cannot reach its store
 * throws the store adapter's unchecked exception.
 */
public interface Admission {

  /**
   * Takes {@code permits} (at least 1) from the organization's allowance if they all fit, and then
   * claims each dedup id for its candidate, in order, answering for each as {@link
   * Deduplicator#claimAll} does. A denied call spends nothing and claims nothing.
   */
  Decision admit(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims);

  /**
   * Decides as {@link #admit} does without waiting for a store: the stage completes with the
   * decision, or fails with what {@code admit} would throw, on whichever thread gets the answer;
   * its continuations must not block that thread. By default, for admissions that never wait, it
   * decides at once on the calling thread.
   */
  default CompletionStage<Decision> admitAsync(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    try {
      return CompletableFuture.completedFuture(admit(organization, tier, permits, claims));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The rate limit's answer and, when it allowed the events, the holder of each claim in the order
   * asked (empty when the candidate holds it); no holders when it denied them.
   */
  record Decision(RateLimit rateLimit, List<Optional<EventId>> holders) {

    /** Checks that a denial comes without holders. */
    public Decision {
      Objects.requireNonNull(rateLimit, "rateLimit");
      holders = List.copyOf(holders);
      if (rateLimit instanceof RateLimit.Denied && !holders.isEmpty()) {
        throw new IllegalArgumentException("a denied admission claims nothing");
      }
    }
  }
}

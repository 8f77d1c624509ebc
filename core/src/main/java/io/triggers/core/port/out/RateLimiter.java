package io.triggers.core.port.out;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;

/**
 * Decides whether an organization may ingest more events now.
 *
 * <p>Smooth (GCRA): a fresh organization may spend a whole minute's allowance at once, after which
 * it refills evenly, so there is never a double burst at a window edge. Thread-safe; each call is
 * one atomic decision. A denied call spends nothing.
 */
public interface RateLimiter {

  /** Takes {@code permits} (at least 1) from the organization's allowance if they all fit. */
  RateLimit acquire(OrganizationId organization, Tier tier, int permits);
}

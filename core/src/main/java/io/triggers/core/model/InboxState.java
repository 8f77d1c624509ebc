package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An event's state with the inbox's leases, and the one owner of its state machine. Stores keep
 * what these transitions return; whether the event is leasable, held or dead follows from it, the
 * time and the lease cap, so that a lease running out needs no write:
 *
 * <pre>
 *   fresh ──leased──▶ held until t (count + 1) ──extended──▶ held until t'
 *   held ──time passes t──▶ leasable again, or dead once the count reached the cap
 *   held ──released──▶ leasable after a delay, or dead at once at the cap
 *   any ──reset (seek, revive)──▶ fresh
 * </pre>
 *
 * @param lease the lease that last took the event, until it is released or reset
 * @param leaseCount how many times the event was leased since it was last reset
 * @param leasableAt when the event may be leased again: the end of the lease that holds it, or of a
 *     release's delay; empty when it never was leased since its last reset
 */
public record InboxState(Optional<LeaseId> lease, int leaseCount, Optional<Instant> leasableAt) {

  /** How many leases an event gets unless configured otherwise. */
  public static final int DEFAULT_MAX_LEASES = 10;

  /** Checks that every component is present and valid. */
  public InboxState {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(leasableAt, "leasableAt");
    if (leaseCount < 0) {
      throw new IllegalArgumentException("a lease count cannot be negative");
    }
    if (lease.isPresent() && leasableAt.isEmpty()) {
      throw new IllegalArgumentException("a lease has an end");
    }
  }

  /** Refuses a lease cap below one, for whoever is configured with one. */
  public static int requireMaxLeases(int maxLeases) {
    if (maxLeases < 1) {
      throw new IllegalArgumentException("an event gets at least one lease");
    }
    return maxLeases;
  }

  /** The state of an event never leased, or reset since. */
  public static InboxState fresh() {
    return new InboxState(Optional.empty(), 0, Optional.empty());
  }

  /** Whether the event used up its leases: its last allowed lease ran out or was released. */
  public boolean isDead(Instant now, int maxLeases) {
    return leaseCount >= maxLeases && !isWaitingAt(now);
  }

  /** Whether a new lease may take the event at {@code now}, if it is still in the inbox. */
  public boolean isLeasable(Instant now, int maxLeases) {
    return leaseCount < maxLeases && !isWaitingAt(now);
  }

  /**
   * Whether {@code id} holds the event: it took the event last, and the event is not dead. A lease
   * that ran out still holds its events until another lease takes them.
   */
  public boolean isHeldBy(LeaseId id, Instant now, int maxLeases) {
    return lease.filter(id::equals).isPresent() && !isDead(now, maxLeases);
  }

  /**
   * Whether an ack through {@code id} counts: refused only when another lease took the event since.
   */
  public boolean acceptsAckThrough(LeaseId id) {
    return lease.isEmpty() || lease.get().equals(id);
  }

  /** Where the event stands at {@code now}; {@code acknowledged} when it left the inbox. */
  public InboxStatus status(boolean acknowledged, Instant now, int maxLeases) {
    if (acknowledged) {
      return InboxStatus.ACKNOWLEDGED;
    }
    if (isDead(now, maxLeases)) {
      return InboxStatus.DEAD;
    }
    return lease.isPresent() && isWaitingAt(now) ? InboxStatus.LEASED : InboxStatus.AVAILABLE;
  }

  /** Taken by lease {@code id} until {@code until}; the lease counts. */
  public InboxState leased(LeaseId id, Instant until) {
    return new InboxState(Optional.of(id), leaseCount + 1, Optional.of(until));
  }

  /** Held by the same lease until {@code until}. */
  public InboxState extended(Instant until) {
    if (lease.isEmpty()) {
      throw new IllegalStateException("only a leased event can be extended");
    }
    return new InboxState(lease, leaseCount, Optional.of(until));
  }

  /**
   * Let go without an ack at {@code now}: leasable again at {@code availableAt}, or dead at once if
   * this was its last allowed lease.
   */
  public InboxState released(Instant availableAt, Instant now, int maxLeases) {
    Instant next = leaseCount >= maxLeases ? now : availableAt;
    return new InboxState(Optional.empty(), leaseCount, Optional.of(next));
  }

  private boolean isWaitingAt(Instant now) {
    return leasableAt.isPresent() && leasableAt.get().isAfter(now);
  }
}

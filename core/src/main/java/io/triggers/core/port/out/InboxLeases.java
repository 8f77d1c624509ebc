package io.triggers.core.port.out;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.InboxState;
import io.triggers.core.model.Lease;
import io.triggers.core.model.LeaseAcknowledgement;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.LeaseRequest;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Leases of the organization's inbox events to pull consumers, over the events of the {@link
 * EventLog}: each event held by one lease at a time, back in the inbox when its lease runs out, and
 * dead once it has been leased {@code maxLeases} times without an ack. Every change of an event's
 * lease state is one of {@link InboxState}'s transitions.
 *
 * <p>Thread-safe, and safe across processes sharing the store: of concurrent leases, no two ever
 * hold the same event. Another organization's events and leases are treated as absent. When a write
 * returns, it is durable. When the store cannot be reached, methods throw {@link
 * io.triggers.core.model.StorageUnavailableException}.
 */
public interface InboxLeases {

  /**
   * Takes up to {@code request.limit()} leasable events (in the inbox, not held by a lease that has
   * not run out, not delayed, not dead), oldest first, of the request's type if given, into a new
   * lease; empty, and no lease recorded, when none is leasable.
   */
  Optional<Lease> lease(OrganizationId organization, LeaseRequest request);

  /**
   * Acknowledges, at {@code at}, the events of {@code ids} (all the lease took when absent) that no
   * other lease took since, as {@link Inbox#acknowledge} does; idempotent. Empty if the
   * organization has no such lease.
   */
  Optional<LeaseAcknowledgement> acknowledge(
      OrganizationId organization, LeaseId lease, Optional<Set<EventId>> ids, Instant at);

  /**
   * Holds the events the lease still holds ({@link InboxState#isHeldBy}) until {@code until};
   * returns them, possibly none. Empty if the organization has no such lease.
   */
  Optional<List<EventId>> extend(
      OrganizationId organization, LeaseId lease, Instant until, Instant now, int maxLeases);

  /**
   * Lets go of the events of {@code ids} (all when absent) that the lease still holds, leasable
   * again at {@code availableAt} ({@link InboxState#released}); returns them. Empty if the
   * organization has no such lease.
   */
  Optional<List<EventId>> release(
      OrganizationId organization,
      LeaseId lease,
      Optional<Set<EventId>> ids,
      Instant availableAt,
      Instant now,
      int maxLeases);

  /**
   * Puts every acknowledged or delivered event created at or after {@code from} back in the inbox,
   * leasable at once with its lease count reset and no webhook attempt planned ({@link
   * io.triggers.core.model.Delivery#reopened}); events still in the inbox, dead ones among them,
   * are left as they are. Returns how many came back.
   */
  int seek(OrganizationId organization, Instant from);

  /**
   * Makes the event fresh again ({@link InboxState#fresh}) if it is dead at {@code now}; returns
   * whether it was.
   */
  boolean revive(OrganizationId organization, EventId id, Instant now, int maxLeases);

  /** The event's lease state, or empty if the organization has no such event. */
  Optional<InboxState> state(OrganizationId organization, EventId id);

  /**
   * The page {@link Inbox#list} would answer for {@code query}, keeping only the events dead at
   * {@code now}.
   */
  InboxPage dead(OrganizationId organization, InboxQuery query, Instant now, int maxLeases);
}

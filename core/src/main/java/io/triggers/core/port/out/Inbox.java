package io.triggers.core.port.out;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The organization's pull view of its events in the {@link EventLog}: pages of them, and
 * acknowledging the ones it has handled.
 *
 * <p>Thread-safe; another organization's events are treated as absent. An acknowledgement that
 * returns is durable. When the store cannot be reached, methods throw {@link
 * io.triggers.core.model.StorageUnavailableException}.
 */
public interface Inbox {

  /** One page in keyset order of {@code (createdAt, id)}; stable while events arrive. */
  InboxPage list(OrganizationId organization, InboxQuery query);

  /**
   * Marks the event delivered at {@code at}, as {@link Delivery#acknowledged} describes.
   * Idempotent: returns the delivery as it now stands, or empty if there is no such event.
   */
  Optional<Delivery> acknowledge(OrganizationId organization, EventId id, Instant at);

  /** Acknowledges every event of {@code ids} that exists; returns the ids that did. */
  Set<EventId> acknowledgeAll(OrganizationId organization, Collection<EventId> ids, Instant at);
}

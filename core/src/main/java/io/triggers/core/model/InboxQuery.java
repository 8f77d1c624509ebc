package io.triggers.core.model;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What to list from an organization's inbox: which statuses and type, how many, from where. */
public record InboxQuery(
    Set<DeliveryStatus> statuses,
    Optional<EventType> type,
    int limit,
    Optional<InboxCursor> after,
    SortOrder order) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** Checks that every component is present and valid. */
  public InboxQuery {
    statuses = Set.copyOf(statuses);
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("an inbox query needs at least one status");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(order, "order");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidValueException("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /** The default listing: undelivered events, newest first, one page of 100. */
  public static InboxQuery undelivered() {
    return new InboxQuery(
        DeliveryStatus.UNDELIVERED,
        Optional.empty(),
        DEFAULT_LIMIT,
        Optional.empty(),
        SortOrder.NEWEST_FIRST);
  }
}

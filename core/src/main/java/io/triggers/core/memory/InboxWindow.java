package io.triggers.core.memory;

import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.SortOrder;
import io.triggers.core.model.StoredEvent;
import java.util.NavigableMap;

/** Which of an organization's events in memory an inbox page walks through and lists. */
final class InboxWindow {

  private InboxWindow() {}

  /** The events of {@code source} a page of {@code query} walks through, in its order. */
  static NavigableMap<Position, StoredEvent> of(
      NavigableMap<Position, StoredEvent> source, InboxQuery query) {
    boolean newestFirst = query.order() == SortOrder.NEWEST_FIRST;
    if (query.after().isEmpty()) {
      return newestFirst ? source.descendingMap() : source;
    }
    Position after = Position.of(query.after().get());
    return newestFirst
        ? source.headMap(after, false).descendingMap()
        : source.tailMap(after, false);
  }

  /** Whether a page of {@code query} lists the event. */
  static boolean matches(StoredEvent stored, InboxQuery query) {
    return query.statuses().contains(stored.delivery().status())
        && query.type().map(type -> type.equals(stored.event().type())).orElse(true);
  }
}

package io.triggers.core.memory;

import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;

/**
 * Where an event sits in the listing. Creation time is kept to the millisecond because that is what
 * a cursor carries; finer positions would list an event again after its own cursor.
 */
record Position(long createdAtMillis, EventId id) implements Comparable<Position> {

  static Position of(Event event) {
    return new Position(event.createdAt().toEpochMilli(), event.id());
  }

  static Position of(InboxCursor cursor) {
    return new Position(cursor.createdAt().toEpochMilli(), cursor.lastId());
  }

  @Override
  public int compareTo(Position other) {
    int byTime = Long.compare(createdAtMillis, other.createdAtMillis);
    return byTime != 0 ? byTime : id.compareTo(other.id);
  }
}

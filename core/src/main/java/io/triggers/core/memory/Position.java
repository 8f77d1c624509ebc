package io.triggers.core.memory;

import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxCursor;
import java.time.Instant;
import java.util.UUID;

/**
 * Where an event sits in the listing. Creation time is kept to the millisecond because that is what
 * a cursor carries; finer positions would list an event again after its own cursor.
 */
record Position(long createdAtMillis, EventId id) implements Comparable<Position> {

  /** The UUIDv7 that sorts before every other. */
  private static final EventId SMALLEST_ID = new EventId(new UUID(0x7000L, Long.MIN_VALUE));

  static Position of(Event event) {
    return new Position(event.createdAt().toEpochMilli(), event.id());
  }

  /** A position before every event created in the millisecond of {@code at}. */
  static Position firstAt(Instant at) {
    return new Position(at.toEpochMilli(), SMALLEST_ID);
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

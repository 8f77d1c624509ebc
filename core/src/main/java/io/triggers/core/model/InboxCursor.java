package io.triggers.core.model;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * A position in an inbox listing: the {@code (createdAt, id)} of the last event returned. Clients
 * see it only as an opaque string, so its encoding may change.
 *
 * <p>A cursor names a position, not events: whoever holds one sees only their own organization's
 * events after that position, so another organization's cursor is just a position among the
 * caller's events. What decoding refuses is a string this server cannot have handed out: bad
 * base64, a wrong length, an id that is not a UUIDv7, a time before 1970 or beyond what a UUIDv7
 * can hold, or a cursor of a listing in the other order.
 */
public record InboxCursor(Instant createdAt, EventId lastId) {

  /** The latest time an event id can carry: a UUIDv7 holds milliseconds since 1970 in 48 bits. */
  private static final long MAX_EPOCH_MILLI = (1L << 48) - 1;

  private static final int POSITION_BYTES = Long.BYTES * 3;

  /** Cursors of earlier versions, without the order; still accepted for either order. */
  private static final int UNORDERED_BYTES = POSITION_BYTES;

  private static final int ENCODED_BYTES = 1 + POSITION_BYTES;

  /** The longest text that can decode to {@link #ENCODED_BYTES}, with or without padding. */
  private static final int MAX_TEXT_LENGTH = 4 * ((ENCODED_BYTES + 2) / 3);

  private static final byte NEWEST_FIRST = 1;
  private static final byte OLDEST_FIRST = 2;

  /** Checks that every component is present and valid. */
  public InboxCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastId, "lastId");
  }

  /** The cursor of the page that follows {@code event}. */
  public static InboxCursor after(Event event) {
    return new InboxCursor(event.createdAt(), event.id());
  }

  /** The opaque text of this position in a listing read in {@code order}. */
  public String encode(SortOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(ENCODED_BYTES);
    buffer.put(order == SortOrder.NEWEST_FIRST ? NEWEST_FIRST : OLDEST_FIRST);
    buffer.putLong(createdAt.toEpochMilli());
    buffer.putLong(lastId.value().getMostSignificantBits());
    buffer.putLong(lastId.value().getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  /**
   * The position {@link #encode} wrote for a listing in {@code order}.
   *
   * @throws InvalidValueException if {@code text} is not a cursor of such a listing
   */
  public static InboxCursor decode(String text, SortOrder order) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw invalid();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (bytes.length == ENCODED_BYTES) {
      byte expected = order == SortOrder.NEWEST_FIRST ? NEWEST_FIRST : OLDEST_FIRST;
      byte written = buffer.get();
      if (written != NEWEST_FIRST && written != OLDEST_FIRST) {
        throw invalid();
      }
      if (written != expected) {
        throw new InvalidValueException(
            "cursor", "cursor belongs to a listing in the other order; start again without it");
      }
    } else if (bytes.length != UNORDERED_BYTES) {
      throw invalid();
    }
    long epochMilli = buffer.getLong();
    UUID id = new UUID(buffer.getLong(), buffer.getLong());
    if (epochMilli < 0 || epochMilli > MAX_EPOCH_MILLI || id.version() != 7) {
      throw invalid();
    }
    return new InboxCursor(Instant.ofEpochMilli(epochMilli), new EventId(id));
  }

  private static InvalidValueException invalid() {
    return new InvalidValueException("cursor", "cursor is not one this server handed out");
  }
}

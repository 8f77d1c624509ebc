package io.triggers.core.model;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * A position in an inbox listing: the {@code (createdAt, id)} of the last event returned. Clients
 * see it only as an opaque string, so its encoding may change.
 */
public record InboxCursor(Instant createdAt, EventId lastId) {

  private static final int ENCODED_BYTES = Long.BYTES * 3;

  public InboxCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastId, "lastId");
  }

  public static InboxCursor after(Event event) {
    return new InboxCursor(event.createdAt(), event.id());
  }

  public String encode() {
    ByteBuffer buffer = ByteBuffer.allocate(ENCODED_BYTES);
    buffer.putLong(createdAt.toEpochMilli());
    buffer.putLong(lastId.value().getMostSignificantBits());
    buffer.putLong(lastId.value().getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  public static InboxCursor decode(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (bytes.length != ENCODED_BYTES) {
      throw invalid();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    Instant createdAt = Instant.ofEpochMilli(buffer.getLong());
    UUID id = new UUID(buffer.getLong(), buffer.getLong());
    if (id.version() != 7) {
      throw invalid();
    }
    return new InboxCursor(createdAt, new EventId(id));
  }

  private static InvalidValueException invalid() {
    return new InvalidValueException("cursor", "cursor is not one this server handed out");
  }
}

package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InboxCursorTest {

  private static final Instant CREATED_AT = Instant.parse("2026-03-01T12:00:00.123Z");
  private static final EventId ID = EventId.parse("019ca8a1-5a7b-7000-8000-000000000001");

  @ParameterizedTest
  @EnumSource(SortOrder.class)
  void decodesWhatItEncodedForTheSameOrder(SortOrder order) {
    // given
    InboxCursor cursor = new InboxCursor(CREATED_AT, ID);

    // when
    InboxCursor decoded = InboxCursor.decode(cursor.encode(order), order);

    // then
    assertThat(decoded).isEqualTo(cursor);
  }

  @ParameterizedTest
  @EnumSource(SortOrder.class)
  void refusesACursorOfTheOtherOrder(SortOrder order) {
    // given
    SortOrder other =
        order == SortOrder.NEWEST_FIRST ? SortOrder.OLDEST_FIRST : SortOrder.NEWEST_FIRST;
    String text = new InboxCursor(CREATED_AT, ID).encode(other);

    // then
    assertThatThrownBy(() -> InboxCursor.decode(text, order))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.getMessage()).contains("other order");
            });
  }

  @ParameterizedTest
  @EnumSource(SortOrder.class)
  void acceptsAnEarlierVersionsCursorWithoutAnOrderInEitherOrder(SortOrder order) {
    // given the 24 bytes earlier versions handed out: time, then the id
    String text = encode(null, CREATED_AT.toEpochMilli(), ID.value());

    // then
    assertThat(InboxCursor.decode(text, order)).isEqualTo(new InboxCursor(CREATED_AT, ID));
  }

  /** Millisecond times no event id can carry, which PostgreSQL or Instant cannot always hold. */
  @ParameterizedTest
  @ValueSource(
      longs = {
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        9_300_000_000_000_000L,
        -1_000_000_000_000_000L,
        -1L,
        1L << 48
      })
  void refusesTimesNoEventCanHave(long epochMilli) {
    for (SortOrder order : SortOrder.values()) {
      for (Byte written : new Byte[] {null, orderByte(order)}) {
        String text = encode(written, epochMilli, ID.value());
        assertThatThrownBy(() -> InboxCursor.decode(text, order))
            .as("%s at %s", order, epochMilli)
            .isInstanceOfSatisfying(
                InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
      }
    }
  }

  @Test
  void acceptsTheEdgesOfTheTimesAnEventIdCanCarry() {
    for (long epochMilli : new long[] {0L, (1L << 48) - 1}) {
      String text = encode(orderByte(SortOrder.NEWEST_FIRST), epochMilli, ID.value());
      assertThat(InboxCursor.decode(text, SortOrder.NEWEST_FIRST).createdAt())
          .isEqualTo(Instant.ofEpochMilli(epochMilli));
    }
  }

  static Stream<String> forgedTexts() {
    String valid = new InboxCursor(CREATED_AT, ID).encode(SortOrder.NEWEST_FIRST);
    return Stream.of(
        "",
        "%%%",
        "not a cursor",
        "AAAA",
        valid.substring(1),
        valid + "A",
        valid + "AAAA",
        "+" + valid.substring(1),
        "a".repeat(10_000),
        encode((byte) 0, CREATED_AT.toEpochMilli(), ID.value()),
        encode((byte) 3, CREATED_AT.toEpochMilli(), ID.value()),
        encode(
            null,
            CREATED_AT.toEpochMilli(),
            UUID.fromString("c0ffee00-0000-4000-8000-000000000000")),
        encode((byte) 1, CREATED_AT.toEpochMilli(), new UUID(0, 0)));
  }

  @ParameterizedTest
  @MethodSource("forgedTexts")
  void refusesTextsThatAreNotCursors(String text) {
    assertThatThrownBy(() -> InboxCursor.decode(text, SortOrder.NEWEST_FIRST))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
  }

  private static byte orderByte(SortOrder order) {
    return (byte) (order == SortOrder.NEWEST_FIRST ? 1 : 2);
  }

  /** A cursor's bytes written by hand: an order byte unless {@code null}, time and id. */
  private static String encode(Byte order, long epochMilli, UUID id) {
    ByteBuffer buffer = ByteBuffer.allocate((order == null ? 0 : 1) + 24);
    if (order != null) {
      buffer.put(order);
    }
    buffer
        .putLong(epochMilli)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }
}

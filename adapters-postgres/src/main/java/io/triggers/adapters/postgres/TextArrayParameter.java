package io.triggers.adapters.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

/**
 * A {@code text[]} parameter sent in PostgreSQL's binary form, written once into the driver's own
 * buffer. The driver's encoding of a {@code String[]} grows a stream by doubling and copies it out
 * again, so a batch's payloads were copied several times over; here each element is encoded once
 * and copied once, and a UUID is written as its 36 characters without a string in between.
 *
 * <p>Should the connection not send binary parameters, the driver asks for the text form instead,
 * which {@link #getValue} gives.
 */
final class TextArrayParameter extends PGobject implements PGBinaryObject {

  private static final long serialVersionUID = 1L;

  private static final int TEXT_OID = 25;
  private static final int HEADER_BYTES = 20;
  private static final int UUID_CHARS = 36;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Each element: its UTF-8 bytes, a {@link UUID}, or null for SQL NULL. */
  private final transient Object[] elements;

  private final int length;

  private TextArrayParameter(Object[] elements) {
    this.type = "text[]";
    this.elements = elements;
    int bytes = HEADER_BYTES;
    for (Object element : elements) {
      bytes += Integer.BYTES + size(element);
    }
    this.length = bytes;
  }

  /** The strings as one array, nulls as SQL NULL. */
  static TextArrayParameter of(String[] strings) {
    Object[] elements = new Object[strings.length];
    for (int i = 0; i < strings.length; i++) {
      elements[i] = strings[i] == null ? null : strings[i].getBytes(StandardCharsets.UTF_8);
    }
    return new TextArrayParameter(elements);
  }

  /** The UUIDs as an array of their text forms, for the statement to cast. */
  static TextArrayParameter of(UUID[] uuids) {
    return new TextArrayParameter(uuids.clone());
  }

  private static int size(Object element) {
    return switch (element) {
      case null -> 0;
      case UUID uuid -> UUID_CHARS;
      case byte[] bytes -> bytes.length;
      default -> throw new IllegalStateException("not an element: " + element.getClass());
    };
  }

  @Override
  public int lengthInBytes() {
    return length;
  }

  @Override
  public void toBytes(byte[] bytes, int offset) {
    int at = offset;
    at = putInt(bytes, at, 1);
    at = putInt(bytes, at, hasNull() ? 1 : 0);
    at = putInt(bytes, at, TEXT_OID);
    at = putInt(bytes, at, elements.length);
    at = putInt(bytes, at, 1);
    for (Object element : elements) {
      switch (element) {
        case null -> at = putInt(bytes, at, -1);
        case UUID uuid -> {
          at = putInt(bytes, at, UUID_CHARS);
          at = putUuid(bytes, at, uuid);
        }
        case byte[] text -> {
          at = putInt(bytes, at, text.length);
          System.arraycopy(text, 0, bytes, at, text.length);
          at += text.length;
        }
        default -> throw new IllegalStateException("not an element: " + element.getClass());
      }
    }
  }

  /** Never called: the parameter is only sent, never read back. */
  @Override
  public void setByteValue(byte[] value, int offset) throws SQLException {
    throw new SQLException("a text array parameter is never read back");
  }

  /** The text form, {@code {"a",NULL,...}}, for a connection that sends parameters as text. */
  @Override
  public String getValue() {
    StringBuilder text = new StringBuilder(length + 2 * elements.length);
    text.append('{');
    for (int i = 0; i < elements.length; i++) {
      text.append(i == 0 ? "" : ",");
      switch (elements[i]) {
        case null -> text.append("NULL");
        case UUID uuid -> text.append(uuid);
        case byte[] bytes -> {
          text.append('"');
          for (char c : new String(bytes, StandardCharsets.UTF_8).toCharArray()) {
            text.append(c == '"' || c == '\\' ? "\\" : "").append(c);
          }
          text.append('"');
        }
        default -> throw new IllegalStateException("not an element");
      }
    }
    return text.append('}').toString();
  }

  private boolean hasNull() {
    for (Object element : elements) {
      if (element == null) {
        return true;
      }
    }
    return false;
  }

  private static int putInt(byte[] bytes, int at, int value) {
    bytes[at] = (byte) (value >>> 24);
    bytes[at + 1] = (byte) (value >>> 16);
    bytes[at + 2] = (byte) (value >>> 8);
    bytes[at + 3] = (byte) value;
    return at + Integer.BYTES;
  }

  /** Writes the UUID's canonical lower-case text, 8-4-4-4-12 hex digits. */
  private static int putUuid(byte[] bytes, int at, UUID uuid) {
    int end = putHex(bytes, at, uuid.getMostSignificantBits() >>> 32, 8);
    bytes[end] = '-';
    end = putHex(bytes, end + 1, uuid.getMostSignificantBits() >>> 16, 4);
    bytes[end] = '-';
    end = putHex(bytes, end + 1, uuid.getMostSignificantBits(), 4);
    bytes[end] = '-';
    end = putHex(bytes, end + 1, uuid.getLeastSignificantBits() >>> 48, 4);
    bytes[end] = '-';
    return putHex(bytes, end + 1, uuid.getLeastSignificantBits(), 12);
  }

  /** Writes the low {@code digits} hex digits of {@code value}. */
  private static int putHex(byte[] bytes, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      bytes[at + i] = HEX[(int) (value >>> (4 * (digits - 1 - i))) & 0xf];
    }
    return at + digits;
  }
}

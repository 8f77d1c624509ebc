package io.triggers.adapters.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small JSON document written by hand, byte for byte as {@link Json} writes the same values: for
 * a reply made on every request, where a data-bound writer costs more than the document. Strings
 * are escaped as Jackson escapes them: quote, backslash and the control characters, with the short
 * forms where JSON has them, and a character beyond the BMP as its escaped surrogates; everything
 * else as UTF-8.
 */
final class JsonText {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int size;

  JsonText(int expectedSize) {
    bytes = new byte[expectedSize];
  }

  /** Text that needs no escaping, such as punctuation and field names: ASCII only. */
  JsonText raw(String ascii) {
    ensure(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      bytes[size++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /** A JSON string: quoted, escaped, UTF-8; or {@code null} when {@code value} is null. */
  JsonText string(String value) {
    if (value == null) {
      return raw("null");
    }
    ensure(value.length() * 6 + 2);
    bytes[size++] = '"';
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        ascii(c);
      } else if (c < 0x800) {
        bytes[size++] = (byte) (0xc0 | (c >> 6));
        bytes[size++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        // Jackson writes a character beyond the BMP as its two surrogates, escaped.
        unicodeEscape(c);
        unicodeEscape(value.charAt(++i));
      } else {
        bytes[size++] = (byte) (0xe0 | (c >> 12));
        bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        bytes[size++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    bytes[size++] = '"';
    return this;
  }

  byte[] toBytes() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }

  private void ascii(char c) {
    switch (c) {
      case '"', '\\' -> escaped(c);
      case '\b' -> escaped('b');
      case '\t' -> escaped('t');
      case '\n' -> escaped('n');
      case '\f' -> escaped('f');
      case '\r' -> escaped('r');
      default -> {
        if (c < 0x20) {
          unicodeEscape(c);
        } else {
          bytes[size++] = (byte) c;
        }
      }
    }
  }

  private void unicodeEscape(char c) {
    bytes[size++] = '\\';
    bytes[size++] = 'u';
    bytes[size++] = HEX[c >> 12];
    bytes[size++] = HEX[(c >> 8) & 0xf];
    bytes[size++] = HEX[(c >> 4) & 0xf];
    bytes[size++] = HEX[c & 0xf];
  }

  private void escaped(char c) {
    bytes[size++] = '\\';
    bytes[size++] = (byte) c;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}

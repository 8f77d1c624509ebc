package io.triggers.adapters.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Goes through JSON values token by token as {@link Json}'s tree would take them: each number as
 * the tree keeps it (so that one beyond any range fails here too), each string looked into for
 * unpaired surrogates when asked, each name checked against the others of its object; and, for a
 * writing walker, each token written as the tree writes its node. One walker serves one body on one
 * thread.
 */
final class JsonValueWalker {

  /** How a value compares with what writing its tree would give. */
  enum Result {
    /** Each token would be written as it was sent. */
    SAME,
    /** Some number would be written otherwise ({@code 1e2} as {@code 1E+2}, {@code -0} as 0). */
    CHANGED,
    /** The tree path must read it: an unpaired surrogate, a name given twice, too many names. */
    REFUSED
  }

  /**
   * The names an object may have for this walker to look for a repeat among them; an object with
   * more is left to the tree, so that a hostile one costs no quadratic search.
   */
  static final int MAX_NAMES = 32;

  private static final int MAX_STRING_LENGTH =
      Json.FACTORY.streamReadConstraints().getMaxStringLength();

  private final JsonGenerator generator;
  private final boolean checkStrings;
  private final boolean checkNames;

  /** The names of the open objects, innermost last; where each open object's names start. */
  private String[] names;

  private int[] starts;
  private int depth;
  private int count;

  private JsonValueWalker(JsonGenerator generator, boolean checkStrings, boolean checkNames) {
    this.generator = generator;
    this.checkStrings = checkStrings;
    this.checkNames = checkNames;
    this.names = checkNames ? new String[16] : null;
    this.starts = checkNames ? new int[8] : null;
  }

  /** A walker that only looks, refusing repeated names, and strings too when asked. */
  static JsonValueWalker looking(boolean checkStrings) {
    return new JsonValueWalker(null, checkStrings, true);
  }

  /** A walker that writes what it walks, checking nothing. */
  static JsonValueWalker writing(JsonGenerator generator) {
    return new JsonValueWalker(generator, false, false);
  }

  /** Opens an object whose names the caller reads itself, as the body's own. */
  void opened() {
    if (checkNames) {
      if (depth == starts.length) {
        starts = Arrays.copyOf(starts, depth * 2);
      }
      starts[depth++] = count;
    }
  }

  /** Whether the name is new in the innermost open object, and (when asked) well formed. */
  boolean named(String name) {
    if (checkStrings && !Json.wellFormed(name)) {
      return false;
    }
    if (!checkNames) {
      return true;
    }
    int start = starts[depth - 1];
    if (count - start >= MAX_NAMES) {
      return false;
    }
    for (int i = start; i < count; i++) {
      if (names[i].equals(name)) {
        return false;
      }
    }
    if (count == names.length) {
      names = Arrays.copyOf(names, count * 2);
    }
    names[count++] = name;
    return true;
  }

  /** Closes the innermost open object, so that its names no longer count. */
  void closed() {
    if (checkNames) {
      count = starts[--depth];
    }
  }

  /** Goes through the value that starts at the parser's current token, up to its last token. */
  Result walk(JsonParser parser) throws IOException {
    Result result = Result.SAME;
    int level = 0;
    JsonToken token = parser.currentToken();
    while (true) {
      switch (token) {
        case START_OBJECT -> {
          level++;
          opened();
          if (generator != null) {
            generator.writeStartObject();
          }
        }
        case START_ARRAY -> {
          level++;
          if (generator != null) {
            generator.writeStartArray();
          }
        }
        case END_OBJECT -> {
          level--;
          closed();
          if (generator != null) {
            generator.writeEndObject();
          }
        }
        case END_ARRAY -> {
          level--;
          if (generator != null) {
            generator.writeEndArray();
          }
        }
        case FIELD_NAME -> {
          String name = parser.currentName();
          if (!named(name)) {
            return Result.REFUSED;
          }
          if (generator != null) {
            generator.writeFieldName(name);
          }
        }
        case VALUE_STRING -> {
          if (!string(parser)) {
            return Result.REFUSED;
          }
        }
        case VALUE_NUMBER_INT -> {
          if (integer(parser)) {
            result = Result.CHANGED;
          }
        }
        case VALUE_NUMBER_FLOAT -> {
          // The tree keeps exact decimals, and its decimal node writes them so.
          BigDecimal decimal = parser.getDecimalValue();
          if (generator != null) {
            generator.writeNumber(decimal);
          }
          result = Result.CHANGED;
        }
        case VALUE_TRUE, VALUE_FALSE -> {
          if (generator != null) {
            generator.writeBoolean(token == JsonToken.VALUE_TRUE);
          }
        }
        case VALUE_NULL -> {
          if (generator != null) {
            generator.writeNull();
          }
        }
        default -> throw new IllegalStateException("unexpected JSON token " + token);
      }
      if (level == 0) {
        return result;
      }
      token = parser.nextToken();
    }
  }

  /** Takes a string token; false if the tree path must read it. */
  private boolean string(JsonParser parser) throws IOException {
    if (!checkStrings && generator == null) {
      // Its length without making it a String; the parser refuses a longer one when it does.
      return parser.getTextLength() <= MAX_STRING_LENGTH;
    }
    String text = parser.getText();
    if (checkStrings && !Json.wellFormed(text)) {
      return false;
    }
    if (generator != null) {
      generator.writeString(text);
    }
    return true;
  }

  /**
   * Takes an integer as the tree does (an int, a long or a big integer) and writes it as its node
   * writes it; true when that text differs from the one sent, as {@code -0}'s does.
   */
  private boolean integer(JsonParser parser) throws IOException {
    switch (parser.getNumberType()) {
      case INT -> {
        int value = parser.getIntValue();
        if (generator != null) {
          generator.writeNumber(value);
        }
        return value == 0 && parser.getTextLength() != 1;
      }
      case LONG -> {
        long value = parser.getLongValue();
        if (generator != null) {
          generator.writeNumber(value);
        }
      }
      default -> {
        BigInteger value = parser.getBigIntegerValue();
        if (generator != null) {
          generator.writeNumber(value);
        }
      }
    }
    return false;
  }
}

package io.triggers.adapters.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes one event's JSON object ({@code {type, payload, dedup_id?}}), or a batch of them ({@code
 * {"events": [...]}}), with a streaming parser straight into the fields of their commands, the
 * payload as the text that is stored, without building a tree and writing it back.
 *
 * <p>It answers only for bodies it reads exactly as {@link Json#parse} and {@link Json#compact}
 * would, and leaves the rest to that tree path: anything that is not valid JSON or not a valid
 * event, a name given twice, a string with a surrogate escape it would have to look into. The tree
 * path then refuses or reads them as it always did, so a client sees the same answer either way.
 *
 * <p>A payload is usually stored as the very bytes it was sent as: when the body is printable ASCII
 * with no escapes, and the payload has no whitespace between its tokens, no fraction or exponent
 * and no {@code -0}, writing its tree back would give those bytes again. Any other payload is
 * written again from its tokens, as the tree path writes it.
 */
final class EventJsonDecoder {

  /** What a valid body says, before the values check themselves. */
  record Fields(String type, String payload, Optional<String> dedupId) {}

  private EventJsonDecoder() {}

  /** The body's fields, or empty when the tree path must read the body. */
  static Optional<Fields> decode(byte[] body) {
    return parsed(body, EventJsonDecoder::event);
  }

  /**
   * The fields of each event of a batch body ({@code {"events": [...]}}), in order; empty when the
   * tree path must read the body: also when an item is not an event this decoder reads, or when
   * there are none or more than {@code maxEvents}, so that the tree path judges them as it always
   * has.
   */
  static Optional<List<Fields>> decodeBatch(byte[] body, int maxEvents) {
    return parsed(body, (parser, source) -> batch(parser, source, maxEvents));
  }

  /** Reads a whole body from its first token; answers {@code null} to leave it to the tree path. */
  private interface BodyReader<T> {
    T read(JsonParser parser, Source source) throws IOException;
  }

  private static <T> Optional<T> parsed(byte[] body, BodyReader<T> reader) {
    int plain = Json.plainAscii(body);
    try {
      if (plain == Json.NOT_PLAIN) {
        String text = Json.decoded(body);
        try (JsonParser parser = Json.FACTORY.createParser(text)) {
          return Optional.ofNullable(reader.read(parser, new Source(null, text, true)));
        }
      }
      try (JsonParser parser = Json.FACTORY.createParser(body)) {
        return Optional.ofNullable(
            reader.read(parser, new Source(body, null, plain == Json.PLAIN_WITH_ESCAPES)));
      }
    } catch (IOException | RuntimeException e) {
      // Whatever failed, the tree path fails too and says why, as it always has.
      return Optional.empty();
    }
  }

  /**
   * The body as parsed: its bytes when printable ASCII, else its decoded text; and whether its
   * strings may hold an escaped surrogate.
   */
  private record Source(byte[] bytes, String text, boolean escapes) {

    long offset(JsonLocation location) {
      return bytes != null ? location.getByteOffset() : location.getCharOffset();
    }
  }

  private static Fields event(JsonParser parser, Source source) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    Fields fields = fields(parser, source, JsonValueWalker.looking(source.escapes()));
    // Nothing may follow the object.
    return parser.nextToken() == null ? fields : null;
  }

  private static List<Fields> batch(JsonParser parser, Source source, int maxEvents)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    JsonValueWalker walker = JsonValueWalker.looking(source.escapes());
    walker.opened();
    List<Fields> events = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!walker.named(name)) {
        return null;
      }
      if (name.equals("events")) {
        if (value != JsonToken.START_ARRAY) {
          return null;
        }
        events = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          Fields fields = events.size() < maxEvents ? fields(parser, source, walker) : null;
          if (fields == null) {
            return null;
          }
          events.add(fields);
        }
        // Anything but an object ends the loop; only the array's end may.
        if (parser.currentToken() != JsonToken.END_ARRAY) {
          return null;
        }
      } else if (walker.walk(parser) == JsonValueWalker.Result.REFUSED) {
        return null;
      }
    }
    if (parser.nextToken() != null || events == null || events.isEmpty()) {
      return null;
    }
    return events;
  }

  /**
   * The event object that starts at the parser's current token, read up to its end; {@code null}
   * when the tree path must read it.
   */
  private static Fields fields(JsonParser parser, Source source, JsonValueWalker walker)
      throws IOException {
    walker.opened();
    String type = null;
    String payload = null;
    String dedupId = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!walker.named(name)) {
        return null;
      }
      switch (name) {
        case "type" -> {
          type = text(parser, source, value);
          if (type == null) {
            return null;
          }
        }
        case "dedup_id" -> {
          dedupId = text(parser, source, value);
          if (dedupId == null && value != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "payload" -> {
          payload = value == JsonToken.START_OBJECT ? payload(parser, source, walker) : null;
          if (payload == null) {
            return null;
          }
        }
        default -> {
          if (walker.walk(parser) == JsonValueWalker.Result.REFUSED) {
            return null;
          }
        }
      }
    }
    // The loop ends at the object's end (the parser throws on anything else).
    walker.closed();
    if (type == null || payload == null) {
      return null;
    }
    return new Fields(type, payload, Optional.ofNullable(dedupId));
  }

  /** A string value's text; {@code null} for any other value, or for a string to leave alone. */
  private static String text(JsonParser parser, Source source, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      return null;
    }
    String text = parser.getText();
    return source.escapes() && !Json.wellFormed(text) ? null : text;
  }

  /**
   * The payload object at the parser as stored: its own text when writing its tree would give the
   * same, else its tokens written again; {@code null} when the tree path must read it.
   */
  private static String payload(JsonParser parser, Source source, JsonValueWalker walker)
      throws IOException {
    int start = (int) source.offset(parser.currentTokenLocation());
    JsonValueWalker.Result walked = walker.walk(parser);
    if (walked == JsonValueWalker.Result.REFUSED) {
      return null;
    }
    int end = (int) source.offset(parser.currentTokenLocation()) + 1;
    if (walked == JsonValueWalker.Result.SAME
        && source.bytes() != null
        && !source.escapes()
        && compact(source.bytes(), start, end)) {
      return new String(source.bytes(), start, end - start, StandardCharsets.US_ASCII);
    }
    return rewritten(source, start, end);
  }

  /**
   * Whether the JSON text between {@code start} and {@code end}, which has no escapes, has no
   * whitespace outside its strings.
   */
  private static boolean compact(byte[] bytes, int start, int end) {
    boolean inString = false;
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b == '"') {
        inString = !inString;
      } else if (!inString && b <= ' ') {
        return false;
      }
    }
    return true;
  }

  /**
   * The value between {@code start} and {@code end} of the source, parsed again and written as the
   * tree path writes it.
   */
  private static String rewritten(Source source, int start, int end) throws IOException {
    try (SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
        JsonParser slice =
            source.bytes() != null
                ? Json.FACTORY.createParser(source.bytes(), start, end - start)
                : Json.FACTORY.createParser(source.text().substring(start, end));
        JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
      slice.nextToken();
      JsonValueWalker.writing(generator).walk(slice);
      generator.flush();
      return out.getAndClear();
    }
  }
}

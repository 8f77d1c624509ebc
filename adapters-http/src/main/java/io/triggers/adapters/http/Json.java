package io.triggers.adapters.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.TriggersException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one JSON configuration of the API: strict UTF-8, no unpaired surrogates, at most 64 levels of
 * nesting, exact numbers, snake_case names on the way out; and the field accessors that turn wrong
 * input into 400s.
 */
final class Json {

  static final int MAX_NESTING_DEPTH = 64;

  /**
   * Parsing and writing buffers kept for reuse. Jackson keeps them per thread by default, which
   * with a virtual thread per request means none are ever reused, and fresh buffers then made up
   * most of the ingest path's allocations. Bounded, so that a burst of requests leaves at most this
   * many sets behind.
   */
  private static final int RECYCLED_BUFFER_SETS = 256;

  /** The parsers and generators of the mapper below, also used on their own by streaming code. */
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .recyclerPool(JsonRecyclerPools.newBoundedPool(RECYCLED_BUFFER_SETS))
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Payloads are stored as re-serialised text: numbers must come back exactly as sent.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private Json() {}

  /** Parses a request body that must be one JSON object. */
  static ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw new ApiException(
          Reply.error(400, "invalid_request", "the request body must be a JSON object"));
    }
    return (ObjectNode) node;
  }

  /**
   * Decodes strictly first, so invalid UTF-8 is refused rather than replaced and no other encoding
   * is ever guessed; then refuses strings and names holding half a surrogate pair, which a JSON
   * escape can spell but UTF-8 cannot encode (PostgreSQL would store a {@code ?} in its place).
   * Numbers are kept as exact decimals of any size Java can hold; one whose exponent is beyond that
   * (past 2<sup>31</sup>) is refused.
   *
   * <p>Most bodies are printable ASCII: those are valid UTF-8 as they are, so they are parsed from
   * their bytes without a decoded copy, and only when they hold a backslash can an escape spell a
   * surrogate that needs looking for.
   */
  static JsonNode parse(byte[] body) {
    int plain = plainAscii(body);
    try {
      JsonNode node = plain == NOT_PLAIN ? MAPPER.readTree(decoded(body)) : MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new ApiException(ErrorResponses.invalidJson("the request body is empty"));
      }
      if (plain != PLAIN_WITHOUT_ESCAPES) {
        requireWellFormed(node);
      }
      return node;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ApiException(
          ErrorResponses.invalidJson("the request body holds a number beyond any range"));
    } catch (StreamConstraintsException e) {
      throw new ApiException(ErrorResponses.invalidJson(constraintMessage(e)));
    } catch (JsonProcessingException e) {
      throw new ApiException(ErrorResponses.invalidJson(syntaxMessage(e)));
    } catch (IOException e) {
      throw new ApiException(ErrorResponses.invalidJson("the request body is not valid JSON"));
    }
  }

  static final int NOT_PLAIN = 0;
  static final int PLAIN_WITHOUT_ESCAPES = 1;
  static final int PLAIN_WITH_ESCAPES = 2;

  /**
   * Whether every byte is printable ASCII or JSON's whitespace, and if so whether a backslash is
   * among them. Such bytes are UTF-8 as they are, and hold neither a NUL nor a byte-order mark, by
   * which a parser given bytes could take them for UTF-16 or UTF-32.
   */
  static int plainAscii(byte[] body) {
    boolean escapes = false;
    for (byte b : body) {
      if (b < 0x20 || b == 0x7f) {
        // Negative bytes (0x80 and above) land here too.
        if (b != '\t' && b != '\n' && b != '\r') {
          return NOT_PLAIN;
        }
      } else if (b == '\\') {
        escapes = true;
      }
    }
    return escapes ? PLAIN_WITH_ESCAPES : PLAIN_WITHOUT_ESCAPES;
  }

  /** The body as text, refusing invalid UTF-8. */
  static String decoded(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(ErrorResponses.invalidJson("the request body is not valid UTF-8"));
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new TriggersException("could not serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** The compact text of a parsed JSON value, as stored for an event's payload. */
  static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new TriggersException("could not serialise a parsed JSON value", e);
    }
  }

  static String requiredText(JsonNode object, String field) {
    return optionalText(object, field)
        .orElseThrow(() -> new InvalidValueException(field, field + " is required"));
  }

  /** A required RFC 3339 time with an offset ({@code 2026-01-01T00:00:00Z}), as an instant. */
  static Instant requiredTime(JsonNode object, String field) {
    String text = requiredText(object, field);
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidValueException(field, field + " must be an RFC 3339 time with an offset");
    }
  }

  /** Absent and {@code null} both mean "not given". */
  static Optional<String> optionalText(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidValueException(field, field + " must be a string");
    }
    return Optional.of(value.textValue());
  }

  static ObjectNode requiredObject(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidValueException(field, field + " is required");
    }
    if (!value.isObject()) {
      throw new InvalidValueException(field, field + " must be a JSON object");
    }
    return (ObjectNode) value;
  }

  static ArrayNode requiredArray(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidValueException(field, field + " is required");
    }
    if (!value.isArray()) {
      throw new InvalidValueException(field, field + " must be an array");
    }
    return (ArrayNode) value;
  }

  /** Walks the whole tree, names and strings alike; its depth is bounded by the parser. */
  private static void requireWellFormed(JsonNode node) {
    if (node.isTextual()) {
      requireWellFormed(node.textValue());
    } else if (node.isObject()) {
      for (var field : node.properties()) {
        requireWellFormed(field.getKey());
        requireWellFormed(field.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        requireWellFormed(element);
      }
    }
  }

  private static void requireWellFormed(String text) {
    if (!wellFormed(text)) {
      throw new ApiException(
          ErrorResponses.invalidJson(
              "the request body holds a string with an unpaired surrogate (a \\u escape"
                  + " between d800 and dfff without its partner), which is not Unicode text"));
    }
  }

  /** Whether every surrogate in the text is half of a pair, in order. */
  static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  private static String constraintMessage(StreamConstraintsException e) {
    if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")) {
      return "the request body nests JSON deeper than " + MAX_NESTING_DEPTH + " levels";
    }
    return "the request body exceeds a JSON size limit";
  }

  /** Says where the JSON broke, without echoing any of it. */
  private static String syntaxMessage(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "the request body is not valid JSON";
    }
    return "the request body is not valid JSON (line "
        + location.getLineNr()
        + ", column "
        + location.getColumnNr()
        + ")";
  }
}

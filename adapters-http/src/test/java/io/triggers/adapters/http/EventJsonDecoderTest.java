package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.port.in.IngestEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming decoder of an ingest body against the tree path it stands in for: for every body,
 * the same command (the payload stored as the same text) or the same error reply; and the bodies it
 * should read itself, it does read.
 */
class EventJsonDecoderTest {

  private static final String ORDER = IngestJsonBenchmark.PAYLOAD;

  static List<String> bodies() {
    List<String> bodies = new ArrayList<>();
    for (String payload : payloads()) {
      bodies.add("{\"type\":\"order.created\",\"payload\":" + payload + "}");
      bodies.add("{\"payload\":" + payload + ",\"dedup_id\":\"d-1\",\"type\":\"t\"}");
    }
    bodies.addAll(
        List.of(
            // whole bodies: field order, unknown fields, whitespace
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":null}",
            "{\"type\":\"t\",\"payload\":{},\"extra\":[1,{\"a\":[true,false,null]},\"s\",1.5e3]}",
            "{\"type\":\"t\",\"payload\":{},\"extra\":{\"n\":1e99999999999}}",
            "{\"type\":\"t\",\"payload\":{},\"extra\":\"\\ud800\"}",
            "{\"type\":\"t\",\"payload\":{},\"\\udc00x\":1}",
            "{\"type\":\"é\",\"payload\":{},\"\\udc00x\":1}",
            "{\"type\":\"é\",\"payload\":{\"\\udc00x\":1}}",
            "{\"type\":\"t\",\"payload\":{},\"extra\":\"\\ud83d\\ude00\"}",
            " \n\t{ \"type\" : \"t\" ,\r\n \"payload\" : { } } \n",
            "{\"type\":\"t\",\"payload\":{}}   ",
            // type
            "{\"payload\":{}}",
            "{\"type\":null,\"payload\":{}}",
            "{\"type\":1,\"payload\":{}}",
            "{\"type\":[\"t\"],\"payload\":{}}",
            "{\"type\":\"\",\"payload\":{}}",
            "{\"type\":\"" + "t".repeat(255) + "\",\"payload\":{}}",
            "{\"type\":\"" + "t".repeat(256) + "\",\"payload\":{}}",
            "{\"type\":\"a\\u0001b\",\"payload\":{}}",
            "{\"type\":\"a\\tb\",\"payload\":{}}",
            "{\"type\":\"\\u00e9v\\u00e9nement\",\"payload\":{}}",
            "{\"type\":\"évènement.créé\",\"payload\":{}}",
            "{\"type\":\"x\\ud801\",\"payload\":{}}",
            "{\"type\":\"' OR 1=1; --\",\"payload\":{\"q\":\"'; DROP TABLE events; --\"}}",
            // payload
            "{\"type\":\"t\"}",
            "{\"type\":\"t\",\"payload\":null}",
            "{\"type\":\"t\",\"payload\":[]}",
            "{\"type\":\"t\",\"payload\":\"{}\"}",
            "{\"type\":\"t\",\"payload\":1}",
            // dedup_id
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"\"}",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":7}",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":{}}",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"" + "d".repeat(256) + "\"}",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"\\udfff\"}",
            // duplicate names, at the top and inside the payload
            "{\"type\":\"a\",\"type\":\"b\",\"payload\":{}}",
            "{\"type\":1,\"type\":\"b\",\"payload\":{}}",
            "{\"type\":\"a\",\"payload\":{\"x\":1},\"payload\":{\"y\":2}}",
            "{\"type\":\"a\",\"payload\":{\"x\":1},\"payload\":5}",
            "{\"type\":\"a\",\"payload\":{},\"dedup_id\":\"a\",\"dedup_id\":null}",
            "{\"type\":\"a\",\"payload\":{\"x\":1,\"y\":2,\"x\":3}}",
            "{\"type\":\"a\",\"payload\":{\"o\":{\"k\":1,\"k\":2}}}",
            "{\"type\":\"a\",\"payload\":{\"a\":1,\"\\u0061\":2}}",
            "{\"type\":\"a\",\"payload\":{\"l\":[{\"k\":1},{\"k\":2}]}}",
            // not an object, not JSON, not one value
            "",
            "   ",
            "[]",
            "\"t\"",
            "null",
            "1",
            "{\"type\":\"t\",\"payload\":{}} {}",
            "{\"type\":\"t\",\"payload\":{}} x",
            "{\"type\":\"t\",\"payload\":{}}]",
            "{\"type\":\"t\",\"payload\":{},}",
            "{\"type\":\"t\",\"payload\":{\"a\":1,}}",
            "{\"type\" \"t\",\"payload\":{}}",
            "{\"type\":\"t\",\"payload\":{\"a\":\"unterminated}}",
            "{'type':'t','payload':{}}",
            "{\"type\":\"t\",\"payload\":{}} // comment",
            "{\"type\":\"t\",\"payload\":{\"n\":NaN}}",
            "{\"type\":\"t\",\"payload\":{\"n\":01}}",
            "{\"type\":\"t\",\"payload\":{\"n\":+1}}",
            "{\"type\":\"t\",\"payload\":{\"n\":.5}}",
            "{\"type\":\"t\",\"payload\":{\"n\":1.}}",
            "{\"type\":\"t\",\"payload\":{\"s\":\"raw\ttab\"}}",
            "{\"type\":\"t\",\"payload\":{\"s\":\"bad \\x escape\"}}",
            "{\"type\":\"t\",\"payload\":{\"n\":1",
            "{\"type\":\"t\",\"payload\":",
            "{\"type\":\"t\"",
            "{",
            // nesting at, and past, the limit
            "{\"type\":\"t\",\"payload\":" + nested(Json.MAX_NESTING_DEPTH - 1) + "}",
            "{\"type\":\"t\",\"payload\":" + nested(Json.MAX_NESTING_DEPTH) + "}",
            "{\"type\":\"t\",\"payload\":{},\"x\":" + nested(Json.MAX_NESTING_DEPTH) + "}",
            // a long number, beyond the parser's length limit
            "{\"type\":\"t\",\"payload\":{\"n\":" + "9".repeat(1_001) + "}}",
            "{\"type\":\"t\",\"payload\":{\"n\":" + "9".repeat(999) + "}}",
            // objects with more names than the decoder looks through
            "{\"type\":\"t\",\"payload\":" + names(JsonValueWalker.MAX_NAMES + 8, "") + "}",
            "{\"type\":\"t\",\"payload\":" + names(JsonValueWalker.MAX_NAMES + 8, "k3") + "}",
            "{\"type\":\"t\",\"payload\":" + names(JsonValueWalker.MAX_NAMES, "k0") + "}",
            // a big payload
            "{\"type\":\"t\",\"payload\":{\"items\":["
                + (ORDER + ",").repeat(300)
                + ORDER
                + "]}}"));
    return bodies;
  }

  private static List<String> payloads() {
    return List.of(
        ORDER,
        "{}",
        "{\"a\":{}}",
        "{\"a\":[]}",
        "{ \"a\" : [ 1 , 2 ] }",
        "{\"a\":[1,\n2]\t}",
        "{\"s\":\"with space\",\"t\":\"x y\"}",
        "{\"type\":\"inner\",\"payload\":{\"dedup_id\":\"inner\"}}",
        // numbers
        "{\"i\":0,\"n\":-1,\"m\":2147483647,\"o\":2147483648,\"p\":-2147483649}",
        "{\"l\":9223372036854775807,\"m\":-9223372036854775808,\"b\":9223372036854775808}",
        "{\"b\":12345678901234567890123,\"c\":-12345678901234567890123}",
        "{\"z\":-0}",
        "{\"z\":[0,-0,1]}",
        "{\"f\":1.0}",
        "{\"f\":1.10,\"g\":-0.0,\"h\":0.0,\"k\":0.00}",
        "{\"e\":1e400,\"E\":1E400,\"m\":1e-400,\"p\":1e+2}",
        "{\"d\":0.0000001,\"e\":0.000001,\"f\":100e-2,\"g\":1.5e+3,\"h\":-1.25E-5}",
        "{\"x\":123456789012345678901234567890.123456789}",
        "{\"n\":1e99999999999999999999}",
        "{\"n\":-2.5E-99999999999999999999}",
        "{\"a\":[0.1e-2147483649]}",
        // strings and names: escapes, Unicode, control characters
        "{\"e\":\"\\u00e9\",\"A\":\"\\u0041\",\"s\":\"\\/\",\"q\":\"\\\"\",\"b\":\"\\\\\"}",
        "{\"c\":\"\\n\\r\\t\\b\\f\",\"z\":\"\\u0000\",\"u\":\"\\u001f\",\"d\":\"\\u007f\"}",
        "{\"ls\":\"\\u2028\\u2029\",\"bom\":\"\\ufeff\"}",
        "{\"emoji\":\"\\ud83d\\ude00\",\"raw\":\"\ud83d\ude00\"}",
        "{\"é\":\"café\",\"中文\":\"日本語\",\"del\":\"\u007f\"}",
        "{\"k\\u00e9y\":1,\"k\\ty\":2}",
        "{\"bad\":\"\\ud801\"}",
        "{\"p\":{\"k\":[\"a\",{\"b\":\"\\ude00\\ud83d\"}]}}",
        "{\"k\\ud801\":1}",
        "{\"html\":\"<script>alert(1)</script>&amp;\"}");
  }

  /** An object of that many names, the last one repeating an earlier one if given. */
  private static String names(int count, String repeated) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add("\"k" + i + "\":" + i);
    }
    if (!repeated.isEmpty()) {
      members.add("\"" + repeated + "\":-1");
    }
    return "{" + String.join(",", members) + "}";
  }

  private static String nested(int depth) {
    return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void decodesEachBodyAsTheTreePathDoes(String body) {
    assertSameAsTreePath(body.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  @Test
  void agreesWithTheTreePathOnRandomAndBrokenBodies() {
    // given bodies made at random, and each of them broken in some place
    Random random = new Random(20);
    int streamed = 0;
    for (int i = 0; i < 3_000; i++) {
      byte[] body = randomBody(random);
      if (i % 3 == 1) {
        body = broken(body, random);
      }

      // then
      streamed += assertSameAsTreePath(body, Optional.empty()) ? 1 : 0;
    }
    // Most of the intact ones are valid and read by the decoder itself.
    assertThat(streamed).isGreaterThan(1_000);
  }

  @Test
  void agreesWithTheTreePathOnBodiesThatAreNotUtf8() {
    List<byte[]> invalid =
        List.of(
            new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {0});
    for (byte[] bad : invalid) {
      for (String at : List.of("type", "payload", "name", "extra")) {
        String body =
            switch (at) {
              case "type" -> "{\"type\":\"t@\",\"payload\":{}}";
              case "payload" -> "{\"type\":\"t\",\"payload\":{\"s\":\"é@\"}}";
              case "name" -> "{\"type\":\"t\",\"payload\":{\"@\":1}}";
              default -> "{\"type\":\"t\",\"payload\":{},\"x\":\"@\"}";
            };
        int split = body.indexOf('@');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body.substring(0, split).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad);
        out.writeBytes(body.substring(split + 1).getBytes(StandardCharsets.UTF_8));
        assertSameAsTreePath(out.toByteArray(), Optional.empty());
      }
    }
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] json = "{\"type\":\"t\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream withBom = new ByteArrayOutputStream();
    withBom.writeBytes(bom);
    withBom.writeBytes(json);
    assertSameAsTreePath(withBom.toByteArray(), Optional.empty());
    assertSameAsTreePath(
        "{\"type\":\"t\",\"payload\":{}}".getBytes(StandardCharsets.UTF_16BE), Optional.empty());
  }

  @Test
  void agreesWithTheTreePathOnTheIdempotencyKeyHeader() {
    byte[] withId = "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"a\"}".getBytes();
    byte[] without = "{\"type\":\"t\",\"payload\":{}}".getBytes();
    for (byte[] body : List.of(withId, without)) {
      assertSameAsTreePath(body, Optional.of("a"));
      assertSameAsTreePath(body, Optional.of("b"));
      assertSameAsTreePath(body, Optional.of(""));
      assertSameAsTreePath(body, Optional.of("k".repeat(256)));
    }
  }

  @ParameterizedTest
  @MethodSource("valid")
  void readsValidBodiesWithoutTheTree(String body) {
    assertThat(EventJsonDecoder.decode(body.getBytes(StandardCharsets.UTF_8))).isPresent();
  }

  static List<String> valid() {
    return List.of(
        IngestJsonBenchmark.BODY,
        "{\"type\":\"t\",\"payload\":{\"f\":1.0,\"e\":1e400,\"z\":-0}}",
        " { \"type\" : \"t\" , \"payload\" : { \"a\" : [ 1 , 2 ] } } ",
        "{\"type\":\"t\u00e9\",\"payload\":{\"e\":\"\\u00e9\ud83d\ude00\"},\"dedup_id\":null}",
        "{\"type\":\"t\",\"payload\":{\"emoji\":\"\\ud83d\\ude00\"},\"x\":{\"y\":[]}}",
        "{\"type\":\"t\",\"payload\":" + names(JsonValueWalker.MAX_NAMES, "") + "}");
  }

  @Test
  void leavesAnObjectWithMoreNamesThanItLooksThroughToTheTree() {
    // given
    String body = "{\"type\":\"t\",\"payload\":" + names(JsonValueWalker.MAX_NAMES + 1, "") + "}";

    // then
    assertThat(EventJsonDecoder.decode(body.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertSameAsTreePath(body.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  @Test
  void refusesAStringBeyondTheParsersLengthLimitAsTheTreePathDoes() {
    // given a string the parser refuses as too long, where the decoder need not read it
    String body = "{\"type\":\"t\",\"payload\":{},\"x\":\"" + "x".repeat(20_000_001) + "\"}";

    // then
    assertThat(EventJsonDecoder.decode(body.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertSameAsTreePath(body.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  @Test
  void keepsTheBytesOfACompactPayloadAsTheyCame() {
    // given
    byte[] body = IngestJsonBenchmark.BODY.getBytes(StandardCharsets.UTF_8);

    // when
    IngestEvent.Command command = IngestRoutes.command(body, Optional.empty());

    // then
    assertThat(command.payload().json()).isEqualTo(ORDER);
  }

  /** Asserts the same outcome either way; true when the decoder read the body itself. */
  private static boolean assertSameAsTreePath(byte[] body, Optional<String> idempotencyKey) {
    String viaTree = outcome(() -> IngestRoutes.command(Json.parseObject(body), idempotencyKey));
    String viaStream = outcome(() -> IngestRoutes.command(body, idempotencyKey));
    assertThat(viaStream)
        .as("body %s", new String(body, StandardCharsets.UTF_8))
        .isEqualTo(viaTree);
    return EventJsonDecoder.decode(body).isPresent();
  }

  private static String outcome(java.util.function.Supplier<IngestEvent.Command> decoding) {
    try {
      IngestEvent.Command command = decoding.get();
      return "command "
          + command.type().value()
          + " "
          + command.dedupId()
          + " "
          + command.payload().json();
    } catch (RuntimeException e) {
      ReplyWriter.Rendered reply =
          ReplyWriter.render(ErrorResponses.forException(e, "r", "POST /api/events"), "r");
      return "error " + reply.status() + " " + new String(reply.body(), StandardCharsets.UTF_8);
    }
  }

  static byte[] randomBody(Random random) {
    StringBuilder json = new StringBuilder("{");
    List<String> fields = new ArrayList<>();
    fields.add("\"type\":" + (random.nextInt(20) == 0 ? value(random, 0) : string(random)));
    if (random.nextInt(20) != 0) {
      fields.add("\"payload\":" + object(random, 0));
    }
    if (random.nextBoolean()) {
      fields.add("\"dedup_id\":" + (random.nextInt(10) == 0 ? "null" : string(random)));
    }
    if (random.nextInt(4) == 0) {
      fields.add(string(random) + ":" + value(random, 0));
    }
    java.util.Collections.shuffle(fields, random);
    json.append(String.join(space(random) + "," + space(random), fields)).append("}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String object(Random random, int depth) {
    int size = random.nextInt(depth == 0 ? 6 : 4);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      // Names from a small set, so that some objects repeat one.
      String name = random.nextInt(3) == 0 ? "\"k" + random.nextInt(8) + "\"" : string(random);
      members.add(name + space(random) + ":" + space(random) + value(random, depth + 1));
    }
    return "{" + space(random) + String.join("," + space(random), members) + space(random) + "}";
  }

  private static String value(Random random, int depth) {
    int kind = random.nextInt(depth > 4 ? 5 : 7);
    return switch (kind) {
      case 0 -> string(random);
      case 1 -> number(random);
      case 2 -> List.of("true", "false", "null").get(random.nextInt(3));
      case 3 -> string(random);
      case 4 -> number(random);
      case 5 -> object(random, depth);
      default -> {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(value(random, depth + 1));
        }
        yield "[" + String.join("," + space(random), items) + "]";
      }
    };
  }

  private static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "1",
          "-17",
          "2147483648",
          "9223372036854775808",
          "123456789012345678901",
          "1.0",
          "0.5",
          "-0.0",
          "1.10",
          "1e2",
          "1E-7",
          "0.0000001",
          "2.5e+10",
          "1e400",
          "1e99999999999",
          "12.340",
          "3.14159265358979323846264338327950288");

  private static String number(Random random) {
    return NUMBERS.get(random.nextInt(NUMBERS.size()));
  }

  private static final List<String> PIECES =
      List.of(
          "a",
          "order",
          "é",
          "日本",
          "\ud83d\ude00",
          "\\u00e9",
          "\\ud83d\\ude00",
          "\\ud801",
          "\\udc00",
          "\\n",
          "\\t",
          "\\\"",
          "\\\\",
          "\\/",
          "\\u0000",
          "\\u001f",
          "\u007f",
          " ",
          "'",
          "<",
          "\\u2028");

  private static String string(Random random) {
    StringBuilder text = new StringBuilder("\"");
    for (int i = random.nextInt(5); i > 0; i--) {
      // Mostly plain text, so that many bodies are printable ASCII without escapes.
      text.append(random.nextInt(4) != 0 ? "x" : PIECES.get(random.nextInt(PIECES.size())));
    }
    return text.append('"').toString();
  }

  private static String space(Random random) {
    return random.nextInt(6) != 0 ? "" : List.of(" ", "\n", "\t ", "\r\n").get(random.nextInt(4));
  }

  /** The body cut short, or with one byte changed, dropped or doubled. */
  static byte[] broken(byte[] body, Random random) {
    int at = random.nextInt(body.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(4)) {
      case 0 -> out.write(body, 0, at);
      case 1 -> {
        out.write(body, 0, at);
        out.write(new byte[] {(byte) random.nextInt(256)}, 0, 1);
        out.write(body, at + 1, body.length - at - 1);
      }
      case 2 -> {
        out.write(body, 0, at);
        out.write(body, at + 1, body.length - at - 1);
      }
      default -> {
        out.write(body, 0, at + 1);
        out.write(body, at, body.length - at);
      }
    }
    return out.toByteArray();
  }
}

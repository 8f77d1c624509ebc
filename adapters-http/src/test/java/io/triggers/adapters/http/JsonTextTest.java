package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void writesTheAcceptedReplyByteForByteAsTheDataBoundWriterDoes() {
    for (String text : awkwardStrings()) {
      // given
      AcceptedJson reply =
          new AcceptedJson(
              "01a21a44-535a-7000-8708-d5b6f62f8b4a",
              "accepted",
              text,
              text,
              "2026-01-01T00:00:00.123Z");

      // when
      byte[] written = reply.toJson();

      // then
      assertThat(new String(written, StandardCharsets.UTF_8))
          .as("for %s", text.codePoints().boxed().toList())
          .isEqualTo(new String(Json.write(reply), StandardCharsets.UTF_8));
    }
  }

  @Test
  void writesAMissingDedupIdAsNull() {
    // given
    AcceptedJson reply = new AcceptedJson("id", "accepted", "order.created", null, "now");

    // then
    assertThat(reply.toJson()).isEqualTo(Json.write(reply));
    assertThat(new String(reply.toJson(), StandardCharsets.UTF_8)).contains("\"dedup_id\":null");
  }

  @Test
  void growsPastTheSizeItExpected() {
    // given
    String longText = "é\"\u0001".repeat(500);

    // when
    byte[] written = new JsonText(1).raw("[").string(longText).raw("]").toBytes();

    // then
    assertThat(written).isEqualTo(Json.write(List.of(longText)));
  }

  /** Every ASCII character alone, and text in two-, three- and four-byte UTF-8. */
  private static List<String> awkwardStrings() {
    List<String> strings = new ArrayList<>();
    for (char c = 0; c < 0x80; c++) {
      strings.add("a" + c + "b");
    }
    strings.add("");
    strings.add("order.created");
    strings.add("run-1-t1-1042");
    strings.add("Grüße, ¥ and ߿");
    strings.add("日本語 \u2028 \u2029 \uffff");
    strings.add("emoji \ud83d\ude00 and \ud800\udc00 \udbff\udfff");
    return strings;
  }
}

package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small rules applied to every request: ids, content types, JSON limits, header rounding. */
class RequestParsingTest {

  @Test
  void echoesOnlyShortRequestIdsOfSafeCharacters() {
    assertThat(RequestIds.accept("a.B_9-z")).isEqualTo("a.B_9-z");
    assertThat(RequestIds.accept("x".repeat(128))).isEqualTo("x".repeat(128));
    assertThat(RequestIds.accept("x".repeat(129))).matches("[0-9a-f]{32}");
    assertThat(RequestIds.accept("with space")).matches("[0-9a-f]{32}");
    assertThat(RequestIds.accept("new\nline")).matches("[0-9a-f]{32}");
    assertThat(RequestIds.accept("")).matches("[0-9a-f]{32}");
    assertThat(RequestIds.accept(null)).matches("[0-9a-f]{32}");
  }

  @Test
  void recognisesJsonContentTypesOnlyInUtf8() {
    assertThat(BodyReader.isJson("application/json")).isTrue();
    assertThat(BodyReader.isJson("APPLICATION/JSON ; charset=UTF-8")).isTrue();
    assertThat(BodyReader.isJson("application/json;charset=\"utf-8\";x=y")).isTrue();
    assertThat(BodyReader.isJson("application/json; charset=utf-16")).isFalse();
    assertThat(BodyReader.isJson("application/json; charset")).isFalse();
    assertThat(BodyReader.isJson("application/json-patch+json")).isFalse();
    assertThat(BodyReader.isJson("text/json")).isFalse();
    assertThat(BodyReader.isJson(null)).isFalse();
  }

  @Test
  void keepsNumbersOfAPayloadExactlyAsSent() {
    // given
    byte[] body =
        "{ \"price\" : 1.10, \"huge\": 1e400, \"id\": 12345678901234567890123 }"
            .getBytes(StandardCharsets.UTF_8);

    // when
    String compact = Json.compact(Json.parseObject(body));

    // then
    assertThat(compact)
        .isEqualTo("{\"price\":1.10,\"huge\":1E+400,\"id\":12345678901234567890123}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"n\":1e99999999999999999999}",
        "{\"n\":-2.5E-99999999999999999999}",
        "{\"n\":1e9999999999}",
        "{\"a\":[0.1e-2147483649]}"
      })
  void refusesNumbersBeyondAnyRangeAsInvalidJson(String json) {
    assertThatThrownBy(() -> Json.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.reply().status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("number");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"x\\ud801\"}",
        "{\"type\":\"\\udc00\"}",
        "{\"p\":{\"k\\ud801\":1}}",
        "{\"p\":{\"k\":[\"a\",{\"b\":\"\\ude00\\ud83d\"}]}}",
        "{\"\\ud83d\":true}"
      })
  void refusesUnpairedSurrogatesAnywhereInTheBody(String json) {
    assertThatThrownBy(() -> Json.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.reply().status()).isEqualTo(400));
  }

  @Test
  void keepsSurrogatePairsWhetherEscapedOrSentAsUtf8() {
    // given an emoji escaped as a pair, and the same emoji as its four UTF-8 bytes
    byte[] body =
        "{\"a\":\"\\ud83d\\ude00\",\"b\":\"\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);

    // when
    String compact = Json.compact(Json.parseObject(body));

    // then
    assertThat(compact).isEqualTo("{\"a\":\"\ud83d\ude00\",\"b\":\"\ud83d\ude00\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
  void neverReadsABodyInAnotherEncodingThanUtf8(String encoding) {
    // given JSON in an encoding whose bytes, NULs and ASCII, are also valid UTF-8
    byte[] body = "{\"type\":\"t\"}".getBytes(Charset.forName(encoding));

    // then
    assertThatThrownBy(() -> Json.parse(body))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.reply().status()).isEqualTo(400));
  }

  @Test
  void readsPlainAsciiAndUtf8BodiesAlike() {
    // given
    String json = "{\t\"type\" :\r\n\"t\\u00e9\", \"payload\": {\"x\": [1.50, \"\\\"\"]}}";
    String utf8 = json.replace("\\u00e9", "\u00e9");

    // when
    String fromAscii = Json.compact(Json.parseObject(json.getBytes(StandardCharsets.US_ASCII)));
    String fromUtf8 = Json.compact(Json.parseObject(utf8.getBytes(StandardCharsets.UTF_8)));

    // then
    assertThat(fromAscii)
        .isEqualTo(fromUtf8)
        .isEqualTo("{\"type\":\"t\u00e9\",\"payload\":{\"x\":[1.50,\"\\\"\"]}}");
  }

  @Test
  void refusesJsonNestedDeeperThanTheLimit() {
    // given
    String deepest = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);
    String tooDeep = "[" + deepest + "]";

    // then
    assertThat(Json.parse(deepest.getBytes(StandardCharsets.UTF_8)).isArray()).isTrue();
    assertThatThrownBy(() -> Json.parse(tooDeep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.reply().status()).isEqualTo(400));
  }

  @Test
  void roundsRateLimitSecondsUp() {
    assertThat(RateLimitHeaders.wholeSeconds(Duration.ZERO)).isZero();
    assertThat(RateLimitHeaders.wholeSeconds(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(RateLimitHeaders.wholeSeconds(Duration.ofSeconds(2))).isEqualTo(2);
    assertThat(RateLimitHeaders.wholeSeconds(Duration.ofMillis(2_001))).isEqualTo(3);
    assertThat(RateLimitHeaders.wholeSeconds(Duration.ofSeconds(-1))).isZero();
  }
}

package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules every textual value shares: length, no control characters, valid Unicode. */
class TextValuesTest {

  /** Each textual value, by the field name its errors carry. */
  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("type", (Function<String, String>) text -> new EventType(text).value()),
        Arguments.of("dedup_id", (Function<String, String>) text -> new DedupId(text).value()),
        Arguments.of(
            "organization_name",
            (Function<String, String>) text -> new OrganizationName(text).value()),
        Arguments.of("api_key", (Function<String, String>) text -> new ApiKey(text).value()));
  }

  /** Texts that no value may hold, each with half a surrogate pair somewhere. */
  static Stream<String> unpairedSurrogates() {
    return Stream.of(
        "x\ud801",
        "x\ud802",
        "\udc00x",
        "a\udfffb",
        "\ud83d",
        "\ude00",
        "\ude00\ud83d",
        "ok\ud83d\ude00\ud83d");
  }

  static Stream<Arguments> valuesWithUnpairedSurrogates() {
    return values()
        .flatMap(
            value ->
                unpairedSurrogates()
                    .map(text -> Arguments.of(value.get()[0], value.get()[1], text)));
  }

  @ParameterizedTest(name = "{0} refuses {2}")
  @MethodSource("valuesWithUnpairedSurrogates")
  void refusesTextWithHalfASurrogatePair(
      String field, Function<String, String> value, String text) {
    assertThatThrownBy(() -> value.apply(text))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).contains("unpaired surrogate");
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void acceptsCharactersBeyondTheBasicPlaneAsWholePairs(
      String field, Function<String, String> value) {
    // given an emoji (a pair), CJK and accented text
    String text = "order-\ud83d\ude00-\u6f22\u5b57-\u00e9";

    // when
    String kept = value.apply(text);

    // then
    assertThat(kept).as(field).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void refusesNulAndOtherControlCharacters(String field, Function<String, String> value) {
    for (String text : new String[] {"a\u0000b", "\u0000", "a\nb", "a\u007fb", "a\u0085b"}) {
      assertThatThrownBy(() -> value.apply(text))
          .as("%s with %s", field, text.codePoints().boxed().toList())
          .isInstanceOfSatisfying(
              InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void refusesEmptyText(String field, Function<String, String> value) {
    assertThatThrownBy(() -> value.apply(""))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void refusesNull(String field, Function<String, String> value) {
    assertThatThrownBy(() -> value.apply(null)).isInstanceOf(InvalidValueException.class);
  }
}

package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void generatesThirtyTwoLowercaseHexDigitsThatDiffer() {
    // when
    Set<String> ids = new HashSet<>();
    Set<Character> digitsSeenFirst = new HashSet<>();
    Set<Character> digitsSeenLast = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String id = RequestIds.generate();
      ids.add(id);
      digitsSeenFirst.add(id.charAt(0));
      digitsSeenLast.add(id.charAt(31));
      assertThat(id).matches("[0-9a-f]{32}");
    }

    // then
    assertThat(ids).hasSize(2_000);
    assertThat(digitsSeenFirst).hasSize(16);
    assertThat(digitsSeenLast).hasSize(16);
  }

  @Test
  void echoesASaneIdAndReplacesAnyOther() {
    assertThat(RequestIds.accept("abc-1.2_3")).isEqualTo("abc-1.2_3");
    assertThat(RequestIds.accept("bad id")).matches("[0-9a-f]{32}");
    assertThat(RequestIds.accept("x".repeat(129))).matches("[0-9a-f]{32}");
    assertThat(RequestIds.accept(null)).matches("[0-9a-f]{32}");
  }
}

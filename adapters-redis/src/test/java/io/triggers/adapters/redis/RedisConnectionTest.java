package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisConnectionTest {

  @Test
  void refusesAMalformedUrlWithoutRepeatingIt() {
    // when / then
    assertThatThrownBy(() -> RedisConnection.connect("redis://:pass word@localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed")
        .hasMessageNotContaining("pass word")
        .hasNoCause();
  }

  @Test
  void refusesAUrlOfAnotherScheme() {
    // when / then
    assertThatThrownBy(() -> RedisConnection.connect("http://localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

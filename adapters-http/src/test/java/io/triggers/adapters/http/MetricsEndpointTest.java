package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  @Test
  void refusesAPortOutOfRangeAndABlankToken() {
    assertThatThrownBy(() -> new MetricsEndpoint(OptionalInt.of(65_536), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetricsEndpoint(OptionalInt.of(-1), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetricsEndpoint(OptionalInt.empty(), Optional.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void neverPrintsTheToken() {
    assertThat(new MetricsEndpoint(OptionalInt.of(9090), Optional.of("s3cret")).toString())
        .contains("9090")
        .contains("token=set")
        .doesNotContain("s3cret");
  }
}

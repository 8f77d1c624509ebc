package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

  @Test
  void acceptsAnyFreePortAndAnAdminToken() {
    // when
    HttpSettings settings = withDefaultBodyLimits("0.0.0.0", 0, 262_144, Optional.of("token"));

    // then
    assertThat(settings.port()).isZero();
    assertThat(settings.adminToken()).contains("token");
  }

  @Test
  void refusesSettingsTheServerCannotHonour() {
    assertThatThrownBy(() -> withDefaultBodyLimits(" ", 8080, 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withDefaultBodyLimits("localhost", 65_536, 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withDefaultBodyLimits("localhost", -1, 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withDefaultBodyLimits("localhost", 8080, 0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                withDefaultBodyLimits(
                    "localhost", 8080, HttpSettings.MAX_BODY_LIMIT + 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withDefaultBodyLimits("localhost", 8080, 1, Optional.of("")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultsTheBodyMemoryAndReadTimeoutAndRefusesOnesThatCannotWork() {
    // when
    HttpSettings defaults = withDefaultBodyLimits("localhost", 8080, 262_144, Optional.empty());

    // then
    assertThat(defaults.maxBodyMemoryBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(defaults.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(
            () ->
                new HttpSettings(
                    "localhost", 8080, 1024, Optional.empty(), 1023, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new HttpSettings("localhost", 8080, 1024, Optional.empty(), 1024, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void neverPrintsTheAdminToken() {
    // when
    String printed = withDefaultBodyLimits("localhost", 8080, 1, Optional.of("s3cret")).toString();

    // then
    assertThat(printed).doesNotContain("s3cret").contains("adminToken=set");
  }

  /** Settings that take the body memory and read timeout an embedder gets by default. */
  private static HttpSettings withDefaultBodyLimits(
      String host, int port, long maxBodyBytes, Optional<String> adminToken) {
    return new HttpSettings(
        host,
        port,
        maxBodyBytes,
        adminToken,
        HttpSettings.DEFAULT_MAX_BODY_MEMORY_BYTES,
        HttpSettings.DEFAULT_BODY_READ_TIMEOUT);
  }
}

package io.triggers.adapters.http.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");

  @Test
  void readsSecondsAndDates() {
    assertThat(RetryAfter.parse(Optional.of(" 120 "), NOW)).contains(Duration.ofMinutes(2));
    assertThat(RetryAfter.parse(Optional.of("Wed, 15 Jan 2025 10:01:30 GMT"), NOW))
        .contains(Duration.ofSeconds(90));
  }

  @Test
  void readsAPastDateAsNoWait() {
    assertThat(RetryAfter.parse(Optional.of("Wed, 15 Jan 2025 09:00:00 GMT"), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void capsAHugeNumberOfSeconds() {
    assertThat(RetryAfter.parse(Optional.of("99999999999999999999999"), NOW))
        .contains(Duration.ofDays(365));
  }

  @Test
  void ignoresWhatItCannotRead() {
    assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of(""), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("-5"), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("soon"), NOW)).isEmpty();
  }
}

package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.testing.Concurrently;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecureIdGeneratorTest {

  private final MutableClock clock = new MutableClock();
  private final SecureIdGenerator ids = new SecureIdGenerator(clock);

  @Test
  void stampsEventIdsWithTheClocksMillisecond() {
    // given
    Instant now = clock.advance(Duration.ofMillis(123));

    // when
    EventId id = ids.newEventId();

    // then
    assertThat(id.value().version()).isEqualTo(7);
    assertThat(id.value().variant()).isEqualTo(2);
    assertThat(id.timestamp()).isEqualTo(now);
  }

  @Test
  void makesStrictlyIncreasingEventIdsWithinOneMillisecond() {
    // when
    List<EventId> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.newEventId());
    }

    // then
    assertThat(made).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
    assertThat(made).allSatisfy(id -> assertThat(id.timestamp()).isEqualTo(clock.instant()));
  }

  @Test
  void movesTheTimestampOnRatherThanRepeatAfterFourThousandIdsInAMillisecond() {
    // when
    List<EventId> made = new ArrayList<>();
    for (int i = 0; i < 4_097; i++) {
      made.add(ids.newEventId());
    }

    // then
    assertThat(made).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
    assertThat(made.get(4_095).timestamp()).isEqualTo(clock.instant());
    assertThat(made.getLast().timestamp()).isEqualTo(clock.instant().plusMillis(1));
  }

  @Test
  void neverGoesBackWhenTheClockDoes() {
    // given
    EventId before = ids.newEventId();

    // when
    clock.advance(Duration.ofSeconds(-5));
    EventId after = ids.newEventId();

    // then
    assertThat(after).isGreaterThan(before);
  }

  @Test
  void makesIncreasingEventIdsAcrossThreads() throws Exception {
    // when
    List<List<EventId>> perThread =
        Concurrently.run(
            8,
            i -> {
              List<EventId> made = new ArrayList<>();
              for (int n = 0; n < 2_000; n++) {
                made.add(ids.newEventId());
                if (n % 500 == 0) {
                  clock.advance(Duration.ofMillis(1));
                }
              }
              return made;
            });

    // then
    List<EventId> all = perThread.stream().flatMap(List::stream).toList();
    assertThat(all).doesNotHaveDuplicates();
    assertThat(perThread)
        .allSatisfy(made -> assertThat(made).isSortedAccordingTo(Comparator.naturalOrder()));
  }

  @Test
  void makesRandomVersion4OrganizationIds() {
    // when
    OrganizationId first = ids.newOrganizationId();
    OrganizationId second = ids.newOrganizationId();

    // then
    assertThat(first.value().version()).isEqualTo(4);
    assertThat(first.value().variant()).isEqualTo(2);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void makesApiKeysOfThirtyTwoRandomBytes() {
    // when
    ApiKey key = ids.newApiKey();

    // then
    assertThat(key.value()).startsWith("trg_").matches("trg_[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(key.value().substring(4))).hasSize(32);
    assertThat(ids.newApiKey()).isNotEqualTo(key);
  }

  @Test
  void makesSigningSecretsOfTwentyFourRandomBytes() {
    // when
    SigningSecret secret = ids.newSigningSecret();

    // then
    assertThat(secret.value()).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.value().substring(6))).hasSize(24);
    assertThat(ids.newSigningSecret()).isNotEqualTo(secret);
  }
}

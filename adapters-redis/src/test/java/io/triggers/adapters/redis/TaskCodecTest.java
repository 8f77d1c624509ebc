package io.triggers.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.port.out.DeliveryTask;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskCodecTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);

  @Test
  void readsBackTheTaskItWroteToTheNanosecond() {
    // given
    DeliveryTask task =
        new DeliveryTask(
            fixtures.organization().id(),
            fixtures.eventId(),
            fixtures.ids().newEndpointId(),
            Instant.parse("2025-01-15T10:00:00.123456789Z"));

    // when
    String text = TaskCodec.encode(task);

    // then
    assertThat(TaskCodec.decode(text)).contains(task);
  }

  @Test
  void readsNoTaskFromTextItDidNotWrite() {
    // given
    String organization = fixtures.organization().id().toString();
    String event = fixtures.eventId().toString();
    String endpoint = fixtures.ids().newEndpointId().toString();

    // when / then
    assertThat(TaskCodec.decode(null)).isEmpty();
    assertThat(TaskCodec.decode("")).isEmpty();
    assertThat(TaskCodec.decode("not a task")).isEmpty();
    assertThat(TaskCodec.decode(organization + " " + event)).isEmpty();
    assertThat(TaskCodec.decode(organization + " " + event + " yesterday")).isEmpty();
    assertThat(TaskCodec.decode(event + " " + organization + " 2025-01-15T10:00:00Z")).isEmpty();
    assertThat(TaskCodec.decode(organization + " " + event + " 2025-01-15T10:00:00Z extra"))
        .isEmpty();
    assertThat(
            TaskCodec.decode(
                organization + " " + event + " " + endpoint + " 2025-01-15T10:00:00Z extra"))
        .isEmpty();
    assertThat(TaskCodec.decode(organization + " " + event + " not-an-id 2025-01-15T10:00:00Z"))
        .isEmpty();
  }

  @Test
  void readsNothingFromATaskWrittenBeforeEndpoints() {
    // given a task as it was written when an organization had one webhook
    String old = fixtures.organization().id() + " " + fixtures.eventId() + " 2025-01-15T10:00:00Z";

    // when / then
    assertThat(TaskCodec.decode(old)).isEmpty();
  }

  @Test
  void scoresADueTimeInMillisecondsRoundedUpSoNeverEarly() {
    // when / then
    assertThat(TaskCodec.score(Instant.ofEpochMilli(1_000))).isEqualTo(1_000);
    assertThat(TaskCodec.score(Instant.ofEpochSecond(1, 1))).isEqualTo(1_001);
    assertThat(TaskCodec.score(Instant.ofEpochSecond(1, 999_999_999))).isEqualTo(2_000);
  }
}

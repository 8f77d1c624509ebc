package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DedupId;
import io.triggers.core.port.in.IngestEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestJsonBenchmarkTest {

  private final IngestJsonBenchmark benchmark = new IngestJsonBenchmark();

  @Test
  void decodesTheBodyIntoTheCommandTheUseCaseGets() {
    // given
    benchmark.setUp();

    // when
    IngestEvent.Command command = benchmark.decodeIngestBody();

    // then
    assertThat(command.type().value()).isEqualTo("order.created");
    assertThat(command.payload().json()).isEqualTo(IngestJsonBenchmark.PAYLOAD);
    assertThat(command.dedupId()).isEqualTo(Optional.of(new DedupId(IngestJsonBenchmark.DEDUP_ID)));
  }

  @Test
  void decodesTheSameCommandThroughTheTree() {
    // given
    benchmark.setUp();

    // then
    assertThat(benchmark.decodeIngestBodyThroughTree()).isEqualTo(benchmark.decodeIngestBody());
  }

  @Test
  void decodesTheSameBatchEitherWay() {
    // given
    benchmark.setUp();

    // then
    assertThat(benchmark.decodeBatchBody().commands())
        .hasSize(100)
        .isEqualTo(benchmark.decodeBatchBodyThroughTree().commands());
  }

  @Test
  void encodesTheAcceptedReplyAsTheApiAnswersIt() {
    // given
    benchmark.setUp();

    // when
    byte[] reply = benchmark.encodeAcceptedReply();

    // then
    assertThat(new String(reply, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"01a21a44-535a-7000-8708-d5b6f62f8b4a\",\"status\":\"accepted\","
                + "\"type\":\"order.created\",\"dedup_id\":\"run-1-t1-1042\","
                + "\"created_at\":\"2026-11-26T23:50:15.130Z\"}");
  }
}

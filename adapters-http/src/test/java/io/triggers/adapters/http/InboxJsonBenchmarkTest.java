package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class InboxJsonBenchmarkTest {

  private final InboxJsonBenchmark benchmark = new InboxJsonBenchmark();

  @Test
  void encodesAFullPageAsTheApiAnswersIt() throws Exception {
    // given
    benchmark.setUp();

    // when
    JsonNode page = new ObjectMapper().readTree(benchmark.encodeInboxPage());

    // then
    assertThat(page.get("events")).hasSize(InboxJsonBenchmark.PAGE_SIZE);
    JsonNode first = page.get("events").get(0);
    assertThat(first.get("id").asText()).isEqualTo("01a21a44-535a-7000-8708-d5b6f62f8b4a");
    assertThat(first.get("type").asText()).isEqualTo("order.created");
    assertThat(first.get("payload"))
        .isEqualTo(new ObjectMapper().readTree(IngestJsonBenchmark.PAYLOAD));
    assertThat(first.get("dedup_id").asText()).isEqualTo("seed-0");
    assertThat(first.get("created_at").asText()).isEqualTo("2026-11-26T23:50:15.130Z");
    assertThat(first.get("delivery_status").asText()).isEqualTo("pending");
    assertThat(first.get("attempts").asInt()).isZero();
    assertThat(page.get("events").get(1).get("dedup_id").isNull()).isTrue();
    assertThat(page.get("next_cursor").asText()).isNotEmpty();
  }
}

package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.port.in.IngestEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch body decoded by the streaming decoder against the tree path it stands in for: for every
 * body, the same commands and the same rejected items with the same reasons, or the same error
 * reply; and the batches it should read itself, it does read.
 */
class BatchJsonDecodingTest {

  private static final String EVENT = IngestJsonBenchmark.BODY;

  static List<String> bodies() {
    List<String> bodies = new ArrayList<>();
    // Each single-event body as a batch of its own, and between two valid events.
    for (String item : EventJsonDecoderTest.bodies()) {
      bodies.add("{\"events\":[" + item + "]}");
      bodies.add("{\"events\":[" + EVENT + "," + item + "," + EVENT + "]}");
    }
    bodies.addAll(
        List.of(
            "{\"events\":[]}",
            "{\"events\":null}",
            "{\"events\":{}}",
            "{\"events\":\"x\"}",
            "{}",
            "[]",
            "null",
            "",
            "{\"events\":[" + EVENT + "]",
            "{\"events\":[" + EVENT + "]}x",
            "{\"events\":[" + EVENT + "]} {}",
            "{\"events\":[" + EVENT + "],\"events\":[" + EVENT + "]}",
            "{\"other\":1,\"events\":[" + EVENT + "],\"more\":[{\"a\":\"\\ud800\"}]}",
            "{\"other\":{\"n\":1e99999999999},\"events\":[" + EVENT + "]}",
            "{\"events\":[" + EVENT + ",1," + EVENT + "]}",
            "{\"events\":[" + EVENT + ",null]}",
            "{\"events\":[" + EVENT + ",[]]}",
            "{\"events\":[" + EVENT + ",]}",
            " {\n \"events\" : [ " + EVENT + " ,\t" + EVENT + " ] } ",
            // the same dedup_id twice in one batch: both are commands, the service judges them
            "{\"events\":[" + EVENT + "," + EVENT + "]}",
            many(100),
            many(101),
            many(1000)));
    return bodies;
  }

  private static String many(int count) {
    return "{\"events\":[" + String.join(",", java.util.Collections.nCopies(count, EVENT)) + "]}";
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void decodesEachBatchAsTheTreePathDoes(String body) {
    assertSameAsTreePath(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void agreesWithTheTreePathOnBatchesOfRandomAndBrokenEvents() {
    // given batches of random events, some of them broken, and some batches broken as a whole
    Random random = new Random(21);
    int streamed = 0;
    for (int i = 0; i < 600; i++) {
      List<String> items = new ArrayList<>();
      for (int j = random.nextInt(5) + 1; j > 0; j--) {
        byte[] item = EventJsonDecoderTest.randomBody(random);
        if (random.nextInt(8) == 0) {
          item = EventJsonDecoderTest.broken(item, random);
        }
        items.add(new String(item, StandardCharsets.UTF_8));
      }
      byte[] body = ("{\"events\":[" + String.join(",", items) + "]}").getBytes();
      if (i % 5 == 4) {
        body = EventJsonDecoderTest.broken(body, random);
      }

      // then
      streamed += assertSameAsTreePath(body) ? 1 : 0;
    }
    // Many are read by the decoder itself.
    assertThat(streamed).isGreaterThan(100);
  }

  @Test
  void readsTheBenchmarksBatchWithoutTheTree() {
    // given
    byte[] body = many(100).getBytes(StandardCharsets.UTF_8);

    // when
    IngestRoutes.ParsedBatch batch = IngestRoutes.batch(body);

    // then
    assertThat(EventJsonDecoder.decodeBatch(body, IngestEvent.MAX_BATCH_SIZE)).isPresent();
    assertThat(batch.commands()).hasSize(100);
    assertThat(batch.commands().getFirst().payload().json()).isEqualTo(IngestJsonBenchmark.PAYLOAD);
  }

  @Test
  void leavesAnItemThatIsNotAnObjectToTheTree() {
    // given an item the tree path rejects on its own, with the others accepted
    byte[] body = ("{\"events\":[" + EVENT + ",\"x\"]}").getBytes(StandardCharsets.UTF_8);

    // then
    assertThat(EventJsonDecoder.decodeBatch(body, IngestEvent.MAX_BATCH_SIZE)).isEmpty();
    assertThat(IngestRoutes.batch(body).rejections()).containsOnlyKeys(1);
  }

  /** Asserts the same outcome either way; true when the decoder read the body itself. */
  private static boolean assertSameAsTreePath(byte[] body) {
    String viaTree =
        outcome(
            () -> IngestRoutes.ParsedBatch.of(IngestRoutes.batchEvents(Json.parseObject(body))));
    String viaStream = outcome(() -> IngestRoutes.batch(body));
    assertThat(viaStream)
        .as("body %s", new String(body, StandardCharsets.UTF_8))
        .isEqualTo(viaTree);
    return EventJsonDecoder.decodeBatch(body, IngestEvent.MAX_BATCH_SIZE).isPresent();
  }

  private static String outcome(Supplier<IngestRoutes.ParsedBatch> parsing) {
    try {
      IngestRoutes.ParsedBatch batch = parsing.get();
      StringBuilder text = new StringBuilder("batch of " + batch.size());
      for (int i = 0; i < batch.commands().size(); i++) {
        IngestEvent.Command command = batch.commands().get(i);
        text.append("\n")
            .append(batch.commandIndexes().get(i))
            .append(" command ")
            .append(command.type().value())
            .append(" ")
            .append(command.dedupId())
            .append(" ")
            .append(command.payload().json());
      }
      batch.rejections().forEach((index, error) -> text.append("\n" + index + " " + error));
      return text.toString();
    } catch (RuntimeException e) {
      ReplyWriter.Rendered reply =
          ReplyWriter.render(ErrorResponses.forException(e, "r", "POST /api/events/batch"), "r");
      return "error " + reply.status() + " " + new String(reply.body(), StandardCharsets.UTF_8);
    }
  }
}

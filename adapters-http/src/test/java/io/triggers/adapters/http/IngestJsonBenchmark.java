package io.triggers.adapters.http;

import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.port.in.IngestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JSON work of one {@code POST /api/events}: the body decoded into the command the use case
 * gets, and the 202 reply built and encoded, both through the HTTP adapter's own code up to the
 * Undertow exchange. It sits in the adapter's test sources to reach those package-private helpers;
 * the microbenchmarks jar runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IngestJsonBenchmark {

  /** An order of about 260 bytes, as bench/lua/ingest.lua sends it. */
  static final String PAYLOAD =
      "{\"order_id\":\"ord_000000001042\","
          + "\"customer\":{\"id\":\"cus_fdcd5272\",\"email\":\"buyer1042@example.com\"},"
          + "\"items\":[{\"sku\":\"SKU-10042\",\"quantity\":2,\"unit_price\":\"19.90\"},"
          + "{\"sku\":\"SKU-20731\",\"quantity\":1,\"unit_price\":\"4.50\"}],"
          + "\"total\":\"44.30\",\"currency\":\"EUR\",\"channel\":\"web\"}";

  static final String DEDUP_ID = "run-1-t1-1042";

  static final String BODY =
      "{\"type\":\"order.created\",\"payload\":" + PAYLOAD + ",\"dedup_id\":\"" + DEDUP_ID + "\"}";

  /** A batch of 100 such events, as bench/lua/batch.lua sends them. */
  static final String BATCH_BODY =
      "{\"events\":[" + String.join(",", java.util.Collections.nCopies(100, BODY)) + "]}";

  private byte[] body;
  private byte[] batchBody;
  private IngestEvent.Outcome.Accepted accepted;

  @Setup
  public void setUp() {
    body = BODY.getBytes(StandardCharsets.UTF_8);
    batchBody = BATCH_BODY.getBytes(StandardCharsets.UTF_8);
    IngestEvent.Command command = decodeIngestBody();
    EventId id = EventId.parse("01a21a44-535a-7000-8708-d5b6f62f8b4a");
    Event event =
        new Event(
            id,
            OrganizationId.parse("d17b6a45-0d5b-4955-ae87-dfde07ebe84a"),
            command.type(),
            command.payload(),
            command.dedupId(),
            id.timestamp());
    accepted =
        new IngestEvent.Outcome.Accepted(
            event, new RateLimit.Allowed(100_000, 99_999, Duration.ofNanos(600_000)));
  }

  /** What {@link IngestRoutes#ingest} does before it calls the use case. */
  @Benchmark
  public IngestEvent.Command decodeIngestBody() {
    return IngestRoutes.command(body, Optional.empty());
  }

  /** The same through the JSON tree, the way the decoder leaves to bodies it cannot vouch for. */
  @Benchmark
  public IngestEvent.Command decodeIngestBodyThroughTree() {
    return IngestRoutes.command(Json.parseObject(body), Optional.empty());
  }

  /**
   * What {@link IngestRoutes#ingestBatch} does with a batch of 100 before it calls the use case.
   */
  @Benchmark
  public IngestRoutes.ParsedBatch decodeBatchBody() {
    return IngestRoutes.batch(batchBody);
  }

  /** The same batch through the JSON tree, as every batch was read before the streaming decoder. */
  @Benchmark
  public IngestRoutes.ParsedBatch decodeBatchBodyThroughTree() {
    return IngestRoutes.ParsedBatch.of(IngestRoutes.batchEvents(Json.parseObject(batchBody)));
  }

  /**
   * What follows the use case's answer: the reply with its rate-limit headers, and its JSON body
   * written out, as the exchange is handed it.
   */
  @Benchmark
  public byte[] encodeAcceptedReply() {
    Reply reply = IngestRoutes.reply(accepted);
    if (!(reply.body() instanceof Reply.RawBody json)) {
      throw new IllegalStateException("an accepted event is answered with its JSON written out");
    }
    return json.bytes();
  }
}

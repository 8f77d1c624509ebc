import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The webhook receiver of the webhook benchmark: Undertow, as the server runs it, answering 204 to
 * every delivery once it has read the body. It checks no signature; it counts deliveries, counts
 * the distinct deliveries (event id, {@code webhook-id}, and request path: endpoints of one
 * organization differ by their path) so that repeats show, the distinct events, and the deliveries
 * to each path, and records each delivery's latency: when its body was read here minus the event's
 * {@code created_at}, which the server set when it accepted the event (same machine, same clock).
 * Run it with the server's jar on the class path: {@code java -cp triggers-server.jar Receiver.java
 * PORT}.
 *
 * <p>{@code GET /stats} answers one line of {@code key=value} words: the counters since the start,
 * the time of the last delivery, the latency percentiles of the current window, and the deliveries
 * to each path ({@code paths=/a:3,/b:2}); {@code POST /window} starts a new window. A request to a
 * path under {@code /stall/} is read and never answered, for an endpoint that is never delivered
 * to: the sender gives up after its timeout. Every other request is a delivery.
 */
final class Receiver {

  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong distinct = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong stalled = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong lastMillis = new AtomicLong();
  private final Set<UUID> seenEvents = ConcurrentHashMap.newKeySet(1 << 20);
  private final Set<Seen> seen = ConcurrentHashMap.newKeySet(1 << 20);
  private final Map<String, Integer> pathIndex = new ConcurrentHashMap<>();
  private final AtomicInteger paths = new AtomicInteger();
  private final Map<String, LongAdder> perPath = new ConcurrentSkipListMap<>();
  private final AtomicReference<Latencies> window = new AtomicReference<>(new Latencies());

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Receiver receiver = new Receiver();
    Undertow server =
        Undertow.builder()
            .addHttpListener(port, "127.0.0.1")
            // As many I/O threads as the server's HTTP adapter: one per core, at least two.
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setHandler(receiver::handle)
            .build();
    server.start();
    System.out.println("receiver ready on port " + port);
  }

  private void handle(HttpServerExchange exchange) {
    String path = exchange.getRequestPath();
    if (exchange.getRequestMethod().equalToString("GET") && path.equals("/stats")) {
      answer(exchange, 200, stats());
    } else if (exchange.getRequestMethod().equalToString("POST") && path.equals("/window")) {
      window.set(new Latencies());
      answer(exchange, 200, "window started");
    } else if (path.startsWith("/stall/")) {
      // Read the body and keep the exchange open without an answer, until the sender gives up.
      // Dispatched: Undertow ends an exchange that is not when its handler returns, which would
      // answer 200 at once whenever the whole body had already arrived.
      stalled.incrementAndGet();
      exchange.dispatch(
          SameThreadExecutor.INSTANCE,
          () -> exchange.getRequestReceiver().receiveFullBytes((held, body) -> {}));
    } else {
      // Read the whole body, as a real receiver must, then answer from the I/O thread.
      exchange
          .getRequestReceiver()
          .receiveFullBytes((done, body) -> done.setStatusCode(record(done, body)).endExchange());
    }
  }

  /** Counts one delivery; returns the status to answer with. */
  private int record(HttpServerExchange exchange, byte[] body) {
    Instant received = Instant.now();
    lastMillis.set(received.toEpochMilli());
    deliveries.incrementAndGet();
    String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
    UUID id;
    Instant createdAt;
    try {
      id = UUID.fromString(webhookId == null ? "" : webhookId);
      createdAt = createdAt(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      malformed.incrementAndGet();
      return 400;
    }
    String path = exchange.getRequestPath();
    int pathNumber = pathIndex.computeIfAbsent(path, key -> paths.getAndIncrement());
    perPath.computeIfAbsent(path, key -> new LongAdder()).increment();
    if (seen.add(new Seen(id, pathNumber))) {
      distinct.incrementAndGet();
    }
    if (seenEvents.add(id)) {
      events.incrementAndGet();
    }
    window.get().record(Math.max(0, ChronoUnit.MICROS.between(createdAt, received)));
    return 204;
  }

  /** The body ends with {@code "created_at":"<RFC 3339 instant>"}; the payload comes before it. */
  private static Instant createdAt(String body) {
    String key = "\"created_at\":\"";
    int start = body.lastIndexOf(key);
    if (start < 0) {
      throw new IllegalArgumentException("no created_at");
    }
    start += key.length();
    return Instant.parse(body.substring(start, body.indexOf('"', start)));
  }

  private String stats() {
    Latencies latencies = window.get();
    double[] percentiles = latencies.percentilesMillis(50, 95, 99);
    return String.format(
        "now_ms=%d deliveries=%d distinct=%d events=%d stalled=%d malformed=%d last_ms=%d"
            + " window_deliveries=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f paths=%s%n",
        System.currentTimeMillis(),
        deliveries.get(),
        distinct.get(),
        events.get(),
        stalled.get(),
        malformed.get(),
        lastMillis.get(),
        latencies.count(),
        percentiles[0],
        percentiles[1],
        percentiles[2],
        latencies.maxMicros() / 1000.0,
        paths());
  }

  /** The deliveries to each path, as {@code /a:3,/b:2}, or {@code none}. */
  private String paths() {
    StringBuilder text = new StringBuilder();
    perPath.forEach(
        (path, count) ->
            text.append(text.isEmpty() ? "" : ",").append(path).append(':').append(count.sum()));
    return text.isEmpty() ? "none" : text.toString();
  }

  /** One delivery: an event to the endpoint behind one path. */
  private record Seen(UUID event, int path) {}

  private static void answer(HttpServerExchange exchange, int status, String text) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
    exchange.getResponseSender().send(text);
  }

  /** Latencies in buckets of 100 µs up to two minutes (longer ones go in the last bucket). */
  private static final class Latencies {

    private static final int BUCKET_MICROS = 100;
    private final AtomicLongArray buckets = new AtomicLongArray(1_200_001);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long micros) {
      buckets.incrementAndGet((int) Math.min(micros / BUCKET_MICROS, buckets.length() - 1));
      count.incrementAndGet();
      max.accumulateAndGet(micros, Math::max);
    }

    long count() {
      return count.get();
    }

    long maxMicros() {
      return max.get();
    }

    /**
     * For each percentile, in increasing order, the upper edge of the bucket that holds it (at most
     * the maximum), in milliseconds; all 0 while the window is empty.
     */
    double[] percentilesMillis(double... percentiles) {
      double[] millis = new double[percentiles.length];
      long total = count.get();
      long maxMicros = max.get();
      // Buckets beyond the maximum are empty: the scan stops there.
      int last = (int) Math.min(maxMicros / BUCKET_MICROS, buckets.length() - 1);
      long counted = 0;
      int next = 0;
      for (int i = 0; i <= last && next < percentiles.length && total > 0; i++) {
        counted += buckets.get(i);
        while (next < percentiles.length && counted >= Math.ceil(total * percentiles[next] / 100)) {
          millis[next++] = Math.min((i + 1L) * BUCKET_MICROS, maxMicros) / 1000.0;
        }
      }
      while (next < percentiles.length && total > 0) {
        millis[next++] = maxMicros / 1000.0;
      }
      return millis;
    }
  }
}

package io.triggers.core.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A real HTTP server on a free loopback port that records the webhook requests it gets and answers
 * each as a test tells it to (200 by default).
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived: its path, its headers (names in lower case) and its body. */
  public record Request(String path, Map<String, List<String>> headers, String body) {

    /** The first value of the header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /** An answer: a status, headers, and how long to wait before giving it. */
  public record Answer(int status, Map<String, String> headers, Duration delay) {

    public static Answer status(int status) {
      return new Answer(status, Map.of(), Duration.ZERO);
    }
  }

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpServer server;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private volatile Function<Request, Answer> answer = request -> Answer.status(200);

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          Map<String, List<String>> headers = new HashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
          Request request =
              new Request(
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(headers),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          requests.add(request);
          Answer reply = answer.apply(request);
          try {
            Thread.sleep(reply.delay());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
          exchange.sendResponseHeaders(reply.status(), -1);
          exchange.close();
        });
    server.start();
  }

  /** The URL of {@code path} on this receiver. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** From now on, answers each request with what {@code answer} returns. */
  public void answer(Function<Request, Answer> answer) {
    this.answer = answer;
  }

  /** Every request received so far, oldest first; tests take from it as requests arrive. */
  public BlockingQueue<Request> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package io.triggers.adapters.http.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/** A local HTTP server that records webhook requests and answers as a test tells it to. */
final class Receiver implements AutoCloseable {

  /** One request as it arrived: its headers (names in lower case) and its body. */
  record Request(Map<String, List<String>> headers, String body) {

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /** An answer: a status, headers, and how long to wait before giving it. */
  record Answer(int status, Map<String, String> headers, long delayMillis) {

    static Answer status(int status) {
      return new Answer(status, Map.of(), 0);
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private volatile Function<Request, Answer> answer = request -> Answer.status(200);

  Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          Map<String, List<String>> headers = new HashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
          Request request =
              new Request(
                  Map.copyOf(headers),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          requests.add(request);
          Answer reply = answer.apply(request);
          try {
            Thread.sleep(reply.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
          exchange.sendResponseHeaders(reply.status(), -1);
          exchange.close();
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  void answer(Function<Request, Answer> answer) {
    this.answer = answer;
  }

  BlockingQueue<Request> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

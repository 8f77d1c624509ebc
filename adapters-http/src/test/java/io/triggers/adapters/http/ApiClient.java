package io.triggers.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON client over java.net.http for the integration tests. */
final class ApiClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;

  ApiClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  Response get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  Response delete(String path, String... headers) {
    return send(request(path, headers).DELETE());
  }

  /** A POST of JSON text as application/json. */
  Response post(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  Response postWithoutBody(String path, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Response send(HttpRequest.Builder request) {
    try {
      return Response.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  CompletableFuture<Response> sendAsync(HttpRequest.Builder request) {
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(Response::of);
  }

  /** A response with its body as text. */
  record Response(int status, HttpHeaders headers, String body) {

    static Response of(HttpResponse<String> response) {
      return new Response(response.statusCode(), response.headers(), response.body());
    }

    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String error() {
      return json().path("error").asText();
    }
  }
}

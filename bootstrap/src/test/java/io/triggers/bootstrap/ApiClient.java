package io.triggers.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the Triggers API over real HTTP, for tests of the whole server. */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ApiClient(int port) {
    this.base = "http://localhost:" + port;
  }

  /** Creates an organization of the given tier and returns its API key. */
  String newApiKey(String tier) {
    Response created =
        send(
            request("/api/keys/generate")
                .header("Content-Type", "application/json")
                .POST(body("{\"organization_name\":\"Test\",\"tier\":\"" + tier + "\"}")));
    if (created.status() != 201) {
      throw new AssertionError("key generation answered " + created.status());
    }
    return created.json().get("api_key").asText();
  }

  Response ingest(String apiKey, String dedupId) {
    String dedup = dedupId == null ? "" : ",\"dedup_id\":\"" + dedupId + "\"";
    return send(
        request("/api/events")
            .header("X-API-Key", apiKey)
            .header("Content-Type", "application/json")
            .POST(body("{\"type\":\"order.created\",\"payload\":{\"n\":1}" + dedup + "}")));
  }

  Response get(String apiKey, String path) {
    return send(request(path).header("X-API-Key", apiKey).GET());
  }

  Response get(String path) {
    return send(request(path).GET());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return HttpRequest.BodyPublishers.ofString(json);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response's status, body and headers. */
  record Response(int status, String body, java.net.http.HttpHeaders headers) {

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }
}

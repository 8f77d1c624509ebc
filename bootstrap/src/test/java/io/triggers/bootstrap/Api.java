package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client of one server's HTTP API for the integration tests, reading answers field by field. */
final class Api {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;

  Api(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** Creates an organization of the default (free) tier and returns its API key. */
  String newOrganization() {
    return newApiKey("free");
  }

  /** Creates an organization of the tier and returns its API key. */
  String newApiKey(String tier) {
    HttpResponse<String> created =
        send(
            "POST",
            "/api/keys/generate",
            Optional.empty(),
            "{\"organization_name\":\"Acme\",\"tier\":\"" + tier + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return text(created.body(), "api_key");
  }

  /** Posts one event, with a dedup id if given, and returns the answer whatever it is. */
  HttpResponse<String> ingest(String apiKey, Optional<String> dedupId) {
    String dedup = dedupId.map(id -> ",\"dedup_id\":\"" + id + "\"").orElse("");
    return send(
        "POST",
        "/api/events",
        Optional.of(apiKey),
        "{\"type\":\"order.created\",\"payload\":{\"total\":\"19.90\"}" + dedup + "}");
  }

  /** Points the organization's webhook at {@code url} and returns the signing secret. */
  String configureWebhook(String apiKey, URI url) {
    HttpResponse<String> configured =
        send(
            "POST",
            "/api/webhook/config",
            Optional.of(apiKey),
            "{\"webhook_url\":\"" + url + "\"}");
    assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
    return text(configured.body(), "signing_secret");
  }

  /** Posts an event and returns its id. */
  String ingest(String apiKey, String type) {
    HttpResponse<String> accepted =
        send(
            "POST",
            "/api/events",
            Optional.of(apiKey),
            "{\"type\":\"" + type + "\",\"payload\":{\"order_id\":1042,\"total\":\"19.90\"}}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return text(accepted.body(), "id");
  }

  /** The event with its delivery, as {@code GET /api/events/{id}} shows it. */
  String event(String apiKey, String id) {
    HttpResponse<String> found = send("GET", "/api/events/" + id, Optional.of(apiKey), null);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return found.body();
  }

  HttpResponse<String> get(String path, String apiKey) {
    return send("GET", path, Optional.of(apiKey), null);
  }

  /** The ids among {@code ids} whose events this server cannot read back. */
  List<String> missingEvents(String apiKey, Collection<String> ids) {
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      if (get("/api/events/" + id, apiKey).statusCode() != 200) {
        missing.add(id);
      }
    }
    return missing;
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, Optional.empty(), null);
  }

  HttpResponse<String> post(String path, String apiKey) {
    return send("POST", path, Optional.of(apiKey), null);
  }

  /**
   * Sends a request exactly as given: the body's bytes as they are (or none if {@code null}) and
   * every header in {@code headers} that the JDK's client lets a caller set.
   */
  HttpResponse<String> send(String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return exchange(request);
  }

  HttpResponse<String> send(String method, String path, Optional<String> apiKey, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    apiKey.ifPresent(key -> request.header("X-API-Key", key));
    return exchange(request);
  }

  private static HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The first string field of that name in a JSON text, or null if it is null or absent. */
  static String text(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** A JSON text as a tree, for answers with nested parts. */
  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** The first string field of that name in a JSON text, which must be there. */
  static String field(String json, String name) {
    String value = text(json, name);
    assertThat(value).as("%s in %s", name, json).isNotNull();
    return value;
  }

  /** The first number field of that name in a JSON text. */
  static int number(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(matcher.find()).as("%s in %s", name, json).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** Waits until {@code condition} holds, failing after {@code patience}. */
  static void await(Duration patience, BooleanSupplier condition) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the condition did not come true within " + patience);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }
}

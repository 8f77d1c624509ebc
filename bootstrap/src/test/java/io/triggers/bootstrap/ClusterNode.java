package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.bootstrap.config.SettingsParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One server of a test cluster, started as an operator would configure it, and its HTTP API. */
final class ClusterNode implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final TriggersApplication application;
  private final URI base;

  private ClusterNode(TriggersApplication application) {
    this.application = application;
    this.base = URI.create("http://127.0.0.1:" + application.port());
  }

  /** Starts a node on a free port in cluster mode, on the given PostgreSQL and Redis. */
  static ClusterNode start(String databaseUrl, String redisUrl, Clock clock) {
    TriggersApplication application =
        Triggers.create(
            SettingsParser.parse(
                Map.of(
                    "TRIGGERS_HOST",
                    "127.0.0.1",
                    "TRIGGERS_PORT",
                    "0",
                    "TRIGGERS_DATABASE_URL",
                    databaseUrl,
                    "TRIGGERS_REDIS_URL",
                    redisUrl),
                List.of()),
            clock);
    application.start();
    return new ClusterNode(application);
  }

  /** Creates an organization of the tier and returns its API key. */
  String newApiKey(String tier) {
    HttpResponse<String> created =
        post(
            "/api/keys/generate",
            Optional.empty(),
            "{\"organization_name\":\"Acme\",\"tier\":\"" + tier + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return field(created.body(), "api_key");
  }

  /** Posts one event, with a dedup id if given. */
  HttpResponse<String> ingest(String apiKey, Optional<String> dedupId) {
    String dedup = dedupId.map(id -> ",\"dedup_id\":\"" + id + "\"").orElse("");
    return post(
        "/api/events",
        Optional.of(apiKey),
        "{\"type\":\"order.created\",\"payload\":{\"total\":\"19.90\"}" + dedup + "}");
  }

  HttpResponse<String> post(String path, Optional<String> apiKey, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    apiKey.ifPresent(key -> request.header("X-API-Key", key));
    return send(request.build());
  }

  HttpResponse<String> get(String path, Optional<String> apiKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET();
    apiKey.ifPresent(key -> request.header("X-API-Key", key));
    return send(request.build());
  }

  /** The status a dependency reports in {@code /health/ready}, with the response's own status. */
  String readiness(String dependency) {
    HttpResponse<String> ready = get("/health/ready", Optional.empty());
    Matcher status =
        Pattern.compile("\"" + dependency + "\":\\{\"status\":\"(\\w+)\"").matcher(ready.body());
    assertThat(status.find()).as(ready.body()).isTrue();
    return ready.statusCode() + " " + status.group(1);
  }

  /** A string field of a JSON object, found by name; enough for the flat answers of the API. */
  static String field(String json, String name) {
    Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertThat(value.find()).as("%s in %s", name, json).isTrue();
    return value.group(1);
  }

  @Override
  public void close() {
    application.stop();
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
    }
  }
}

package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.bootstrap.config.SettingsParser;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One server of a test cluster, started as an operator would configure it, and its HTTP API. */
final class ClusterNode implements AutoCloseable {

  private final TriggersApplication application;
  private final ApiClient api;

  private ClusterNode(TriggersApplication application) {
    this.application = application;
    this.api = new ApiClient(application.port());
  }

  /** Starts a node on a free port in cluster mode, on the given PostgreSQL and Redis. */
  static ClusterNode start(String databaseUrl, String redisUrl, Clock clock) {
    return start(databaseUrl, redisUrl, clock, Map.of());
  }

  /** As {@link #start(String, String, Clock)}, with more settings. */
  static ClusterNode start(
      String databaseUrl, String redisUrl, Clock clock, Map<String, String> moreSettings) {
    Map<String, String> settings = new HashMap<>(moreSettings);
    settings.put("TRIGGERS_HOST", "127.0.0.1");
    settings.put("TRIGGERS_PORT", "0");
    settings.put("TRIGGERS_DATABASE_URL", databaseUrl);
    settings.put("TRIGGERS_REDIS_URL", redisUrl);
    TriggersApplication application =
        Triggers.create(SettingsParser.parse(settings, List.of()), clock);
    application.start();
    return new ClusterNode(application);
  }

  /** This node's HTTP API. */
  ApiClient api() {
    return api;
  }

  /** Creates an organization of the tier and returns its API key. */
  String newApiKey(String tier) {
    return api.newApiKey(tier);
  }

  /** Posts one event, with a dedup id if given. */
  ApiClient.Response ingest(String apiKey, Optional<String> dedupId) {
    return api.ingest(apiKey, dedupId);
  }

  ApiClient.Response post(String path, Optional<String> apiKey, String json) {
    return api.send("POST", path, apiKey, json);
  }

  ApiClient.Response get(String path, Optional<String> apiKey) {
    return api.send("GET", path, apiKey, null);
  }

  /** The status a dependency reports in {@code /health/ready}, with the response's own status. */
  String readiness(String dependency) {
    ApiClient.Response ready = get("/health/ready", Optional.empty());
    Matcher status =
        Pattern.compile("\"" + dependency + "\":\\{\"status\":\"(\\w+)\"").matcher(ready.body());
    assertThat(status.find()).as(ready.body()).isTrue();
    return ready.status() + " " + status.group(1);
  }

  /** The value of a series without labels in this node's scrape, or -1 if it is missing. */
  double metric(String series) {
    return get("/metrics", Optional.empty())
        .body()
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
        .findFirst()
        .orElse(-1);
  }

  @Override
  public void close() {
    application.stop();
  }
}

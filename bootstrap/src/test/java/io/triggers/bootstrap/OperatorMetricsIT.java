package io.triggers.bootstrap;

import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triggers.adapters.http.ApiClient;
import io.triggers.core.testing.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as an operator watches it: after a short load (ingest with a duplicate, a rejected
 * item and a rate-limited request, one webhook delivered to a real receiver and one failing), every
 * series that the shipped Grafana dashboard and Prometheus alert rules use is in the scrape, served
 * on its own port behind a token.
 */
class OperatorMetricsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String TOKEN = "operator-scrape-token";

  /** A series name of Triggers, its HTTP server, its pool or its JVM, as PromQL writes them. */
  private static final Pattern SERIES =
      Pattern.compile("\\b((?:triggers|http_server|hikaricp|jvm|process)_[a-z0-9_]+)\\b");

  /** Every histogram the server exposes, by the name before {@code _bucket}. */
  private static final List<String> HISTOGRAMS =
      List.of(
          "http_server_requests_seconds",
          "triggers_ingest_batch_size",
          "triggers_group_commit_rows",
          "triggers_group_commit_seconds",
          "triggers_delivery_latency_seconds");

  @TempDir static Path dataDir;

  private static WebhookReceiver receiver;
  private static TriggersApplication node;
  private static ApiClient api;
  private static ApiClient metrics;

  @BeforeAll
  static void startAndLoad() {
    receiver = new WebhookReceiver();
    receiver.answer(
        request -> WebhookReceiver.Answer.status(request.path().equals("/takes") ? 200 : 500));
    node =
        ReceivingNode.startServer(
            dataDir,
            Clock.systemUTC(),
            Map.of("TRIGGERS_METRICS_PORT", "0", "TRIGGERS_METRICS_TOKEN", TOKEN));
    api = new ApiClient(node.port());
    metrics = new ApiClient(node.metricsPort().orElseThrow());
    load();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  /** Everything the dashboard and the alerts show happens at least once. */
  private static void load() {
    String taking = api.newApiKey("pro");
    api.configureWebhook(taking, receiver.url("/takes"));
    assertThat(api.ingest(taking, Optional.of("order-1")).status()).isEqualTo(202);
    assertThat(api.ingest(taking, Optional.of("order-1")).status()).isEqualTo(409);
    String batch =
        "{\"events\":[{\"type\":\"a\",\"payload\":{}},{\"type\":\"b\",\"payload\":{}},{\"type\":\"\"}]}";
    assertThat(api.send("POST", "/api/events/batch", Optional.of(taking), batch).status())
        .isEqualTo(202);

    String failing = api.newApiKey("pro");
    api.configureWebhook(failing, receiver.url("/fails"));
    api.ingest(failing, "order.created");

    String limited = api.newOrganization();
    int status = 202;
    for (int sent = 0; sent < 500 && status != 429; sent++) {
      status = api.ingest(limited, Optional.empty()).status();
    }
    assertThat(status).as("a free organization runs into its rate limit").isEqualTo(429);

    await(
        PATIENCE,
        () -> sample(scrape(), "triggers_delivery_attempts_total{outcome=\"delivered\"}") >= 1);
    await(
        PATIENCE,
        () -> sample(scrape(), "triggers_delivery_attempts_total{outcome=\"retrying\"}") >= 1);
  }

  @Test
  void everySeriesTheDashboardAndTheAlertsUseIsInTheScrape() throws IOException {
    // given
    Path ops = projectRoot().resolve("ops");
    String dashboard = Files.readString(ops.resolve("grafana").resolve("triggers-dashboard.json"));
    String alerts = Files.readString(ops.resolve("prometheus").resolve("alerts.yml"));
    JsonNode parsed = new ObjectMapper().readTree(dashboard);
    Set<String> used = new TreeSet<>(seriesIn(dashboard));
    used.addAll(seriesIn(alerts));

    // when
    Set<String> exposed = names(scrape());

    // then
    assertThat(parsed.get("panels")).isNotEmpty();
    assertThat(used)
        .as("the dashboard and alerts use the series they are meant to watch")
        .contains(
            "triggers_ingest_events_total",
            "triggers_delivery_attempts_total",
            "triggers_delivery_latency_seconds_bucket",
            "triggers_delivery_backlog_oldest_due_age_seconds",
            "triggers_inbox_dead_events",
            "triggers_redis_degraded",
            "triggers_delivery_endpoints_backed_off",
            "triggers_postgres_up",
            "http_server_requests_seconds_count",
            "hikaricp_connections_pending");
    assertThat(exposed).as("series in the scrape").containsAll(used);
  }

  @Test
  void histogramsHaveBucketsAndNoSeriesIsCountedInNanoseconds() {
    // when
    String scrape = scrape();
    Set<String> exposed = names(scrape);

    // then
    for (String histogram : HISTOGRAMS) {
      assertThat(exposed).contains(histogram + "_bucket", histogram + "_count", histogram + "_sum");
    }
    assertThat(exposed)
        .contains("process_cpu_seconds_total")
        .doesNotContain("process_cpu_time_ns_total");
    assertThat(exposed).noneMatch(name -> name.endsWith("_ns") || name.contains("_ns_"));
    assertThat(scrape).containsPattern("triggers_build_info\\{version=\"[^\"]+\"\\} 1");
  }

  @Test
  void countsTheLoadItWasGiven() {
    // when
    String scrape = scrape();

    // then
    assertThat(sample(scrape, "triggers_ingest_events_total{result=\"accepted\",tier=\"pro\"}"))
        .isGreaterThanOrEqualTo(3);
    assertThat(sample(scrape, "triggers_ingest_events_total{result=\"duplicate\",tier=\"pro\"}"))
        .isEqualTo(1);
    assertThat(sample(scrape, "triggers_ingest_events_total{result=\"rejected\",tier=\"pro\"}"))
        .isEqualTo(1);
    assertThat(sample(scrape, "triggers_rate_limit_denials_total{tier=\"free\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(scrape, "triggers_delivery_latency_seconds_count")).isGreaterThanOrEqualTo(1);
    assertThat(sample(scrape, "triggers_group_commit_rows_count")).isGreaterThanOrEqualTo(1);
    assertThat(sample(scrape, "triggers_postgres_up")).isEqualTo(1);
    assertThat(sample(scrape, "triggers_redis_degraded")).isEqualTo(0);
  }

  @Test
  void theBacklogGaugesSeeTheRetryingDelivery() {
    await(PATIENCE, () -> sample(scrape(), "triggers_delivery_backlog_retrying") >= 1);
  }

  @Test
  void theLeaseGaugesSeeALeasedEvent() {
    // given
    String consumer = api.newApiKey("pro");
    api.ingest(consumer, "order.created");

    // when
    int status =
        api.send("POST", "/api/inbox/lease", Optional.of(consumer), "{\"limit\":10}").status();

    // then
    assertThat(status).isEqualTo(200);
    await(PATIENCE, () -> sample(scrape(), "triggers_inbox_leased_events") >= 1);
    assertThat(sample(scrape(), "triggers_inbox_dead_events")).isZero();
  }

  @Test
  void theScrapeIsOnItsOwnPortBehindTheToken() {
    assertThat(api.get("/metrics", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(404);
    assertThat(metrics.get("/metrics").status()).isEqualTo(401);
    assertThat(metrics.get("/metrics", "Authorization", "Bearer not-" + TOKEN).status())
        .isEqualTo(401);
    assertThat(metrics.get("/api/keys").status()).isEqualTo(404);
  }

  private static String scrape() {
    ApiClient.Response response = metrics.get("/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }

  /** The value of the sample written exactly as {@code series}, or -1 if there is none. */
  private static double sample(String scrape, String series) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
        .findFirst()
        .orElse(-1);
  }

  /** The name of every sample in the scrape. */
  private static Set<String> names(String scrape) {
    return scrape
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> seriesIn(String text) {
    Set<String> series = new TreeSet<>();
    Matcher matcher = SERIES.matcher(text);
    while (matcher.find()) {
      series.add(matcher.group(1));
    }
    return series;
  }

  private static Path projectRoot() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null && !Files.isDirectory(directory.resolve("ops"))) {
      directory = directory.getParent();
    }
    assertThat(directory).as("a parent directory holding ops/").isNotNull();
    return directory;
  }
}

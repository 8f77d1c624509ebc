package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Where the scrape is served and who may read it: a listener of its own, a bearer token, both. */
class MetricsEndpointIT {

  private static final String TOKEN = "s3cret-metrics-token";

  @Test
  void aMetricsPortServesTheScrapeThereAndNotOnTheApiPort() {
    try (TestServer server =
        TestServer.startWithMetrics(new MetricsEndpoint(OptionalInt.of(0), Optional.empty()))) {
      // given
      ApiClient metrics = new ApiClient(server.server.metricsPort().orElseThrow());

      // when
      ApiClient.Response scrape = metrics.get("/metrics");
      ApiClient.Response onApiPort = server.client.get("/metrics");

      // then
      assertThat(server.server.metricsPort().orElseThrow()).isNotEqualTo(server.server.port());
      assertThat(scrape.status()).isEqualTo(200);
      assertThat(scrape.body()).isEqualTo(TestServer.METRICS_TEXT);
      assertThat(onApiPort.status()).isEqualTo(404);
      assertThat(onApiPort.error()).isEqualTo("not_found");
    }
  }

  @Test
  void aMetricsPortServesNothingButTheScrape() {
    try (TestServer server =
        TestServer.startWithMetrics(new MetricsEndpoint(OptionalInt.of(0), Optional.empty()))) {
      // given
      ApiClient metrics = new ApiClient(server.server.metricsPort().orElseThrow());

      // when / then
      assertThat(metrics.get("/health").status()).isEqualTo(404);
      assertThat(metrics.get("/openapi.json").status()).isEqualTo(404);
      assertThat(metrics.post("/api/keys/generate", "{\"organization_name\":\"x\"}").status())
          .isEqualTo(404);
      assertThat(metrics.post("/metrics", "{}").status()).isEqualTo(405);
      assertThat(server.client.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  void withoutAMetricsPortTheApiPortServesTheScrapeAndThereIsNoSecondListener() {
    try (TestServer server = TestServer.start()) {
      assertThat(server.server.metricsPort()).isEmpty();
      assertThat(server.client.get("/metrics").status()).isEqualTo(200);
    }
  }

  @Test
  void aTokenIsRequiredAsABearerToken() {
    try (TestServer server =
        TestServer.startWithMetrics(new MetricsEndpoint(OptionalInt.empty(), Optional.of(TOKEN)))) {
      // when
      ApiClient.Response none = server.client.get("/metrics");
      ApiClient.Response wrong = server.client.get("/metrics", "Authorization", "Bearer wrong");
      ApiClient.Response longer =
          server.client.get("/metrics", "Authorization", "Bearer " + TOKEN + "x");
      ApiClient.Response notBearer = server.client.get("/metrics", "Authorization", TOKEN);
      ApiClient.Response asApiKey = server.client.get("/metrics", "X-API-Key", TOKEN);
      ApiClient.Response right = server.client.get("/metrics", "Authorization", "Bearer " + TOKEN);
      ApiClient.Response anyCase =
          server.client.get("/metrics", "Authorization", "bearer " + TOKEN);

      // then
      for (ApiClient.Response refused :
          new ApiClient.Response[] {none, wrong, longer, notBearer, asApiKey}) {
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).isEqualTo("unauthorized");
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(refused.body()).doesNotContain("triggers_test");
      }
      assertThat(right.status()).isEqualTo(200);
      assertThat(right.body()).isEqualTo(TestServer.METRICS_TEXT);
      assertThat(anyCase.status()).isEqualTo(200);
    }
  }

  @Test
  void aTokenGuardsTheMetricsPortToo() {
    try (TestServer server =
        TestServer.startWithMetrics(new MetricsEndpoint(OptionalInt.of(0), Optional.of(TOKEN)))) {
      // given
      ApiClient metrics = new ApiClient(server.server.metricsPort().orElseThrow());

      // when / then
      assertThat(metrics.get("/metrics").status()).isEqualTo(401);
      assertThat(metrics.get("/metrics", "Authorization", "Bearer nope").status()).isEqualTo(401);
      assertThat(metrics.get("/metrics", "Authorization", "Bearer " + TOKEN).status())
          .isEqualTo(200);
      assertThat(server.client.get("/metrics", "Authorization", "Bearer " + TOKEN).status())
          .isEqualTo(404);
    }
  }

  @Test
  void theOtherRoutesIgnoreTheMetricsToken() {
    try (TestServer server =
        TestServer.startWithMetrics(new MetricsEndpoint(OptionalInt.empty(), Optional.of(TOKEN)))) {
      assertThat(server.client.get("/health").status()).isEqualTo(200);
      assertThat(server.client.get("/api/keys", "Authorization", "Bearer " + TOKEN).status())
          .isEqualTo(401);
    }
  }
}

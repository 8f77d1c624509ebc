package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.triggers.adapters.http.TestServer.Organization;
import io.triggers.core.model.Health;
import io.triggers.core.model.StorageUnavailableException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OperationsApiIT {

  private static TestServer server;
  private static ApiClient client;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    client = server.client;
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void heal() {
    server.store.recover();
    server.health.report(Health.up());
    server.health.reportLive(true);
  }

  @Test
  void reportsLiveness() {
    // when
    ApiClient.Response response = client.get("/health");

    // then
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void failsLivenessOnceADependencyNeedsTheProcessRestarted() {
    // given
    server.health.reportLive(false);

    // when
    ApiClient.Response response = client.get("/health");

    // then
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"status\":\"failing\"}");
    assertThat(response.header("X-Request-Id")).isNotBlank();
  }

  @Test
  void reportsReadinessWithEachCheck() {
    // when
    ApiClient.Response ready = client.get("/health/ready");
    server.health.report(new Health(Health.Status.DEGRADED, "fallback in use"));
    ApiClient.Response degraded = client.get("/health/ready");
    server.health.report(new Health(Health.Status.DOWN, "connection refused"));
    ApiClient.Response down = client.get("/health/ready");

    // then
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    assertThat(ready.json().get("checks").get("store").get("status").asText()).isEqualTo("up");
    assertThat(ready.json().get("checks").get("store").get("detail").asText()).isEqualTo("ok");
    assertThat(degraded.status()).isEqualTo(200);
    assertThat(degraded.json().get("checks").get("store").get("status").asText())
        .isEqualTo("degraded");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().get("status").asText()).isEqualTo("unavailable");
    assertThat(down.json().get("checks").get("store").get("detail").asText())
        .isEqualTo("connection refused");
  }

  @Test
  void servesPrometheusText() {
    // when
    ApiClient.Response response = client.get("/metrics");

    // then
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type"))
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).isEqualTo(TestServer.METRICS_TEXT);
  }

  @Test
  void timesRequestsByRouteTemplateAndStatus() {
    // given
    Organization organization = server.organization();
    String id = server.ingest(organization, "timed");

    // when
    client.get("/api/events/" + id, organization.auth());
    client.get("/api/events/" + id, organization.auth());
    client.get("/no/such/path/" + id);

    // then (a request is timed once its exchange completes, which may be just after the client
    // has read the response)
    Timer found = awaitTimer(2, "method", "GET", "route", "/api/events/{id}", "status", "200");
    assertThat(found.count()).isEqualTo(2);
    assertThat(awaitTimer(1, "route", "unmatched", "status", "404").count()).isEqualTo(1);
    assertThat(server.meters.find(RequestMetrics.NAME).tag("route", "/no/such/path/" + id).timer())
        .isNull();
  }

  @Test
  void servesTheOpenApiDocument() throws Exception {
    // when
    ApiClient.Response response = client.get("/openapi.json");

    // then
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    JsonNode document = new ObjectMapper().readTree(response.body());
    assertThat(document.get("openapi").asText()).startsWith("3.");
    assertThat(document.get("paths").has("/api/events")).isTrue();
  }

  @Test
  void answersServiceUnavailableWithRetryAfterWhenStorageIsDown() {
    // given
    Organization organization = server.organization();
    server.store.failWith(() -> new StorageUnavailableException("database down", null));

    // when
    ApiClient.Response ingest =
        client.post("/api/events", "{\"type\":\"t\",\"payload\":{}}", organization.auth());
    ApiClient.Response inbox = client.get("/api/inbox", organization.auth());

    // then
    assertThat(ingest.status()).isEqualTo(503);
    assertThat(ingest.error()).isEqualTo("unavailable");
    assertThat(ingest.header("Retry-After")).isEqualTo("5");
    assertThat(inbox.status()).isEqualTo(503);

    // and once it is back, ingest works again without a restart
    server.store.recover();
    assertThat(
            client
                .post("/api/events", "{\"type\":\"t\",\"payload\":{}}", organization.auth())
                .status())
        .isEqualTo(202);
  }

  @Test
  void answersAnUnexpectedFailureWithAnInternalErrorAndNoDetails() {
    // given
    Organization organization = server.organization();
    server.store.failWith(() -> new IllegalStateException("secret internals"));

    // when
    ApiClient.Response response =
        client.get("/api/inbox", append(organization.auth(), "X-Request-Id", "boom-1"));

    // then
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.error()).isEqualTo("internal_error");
    assertThat(response.json().get("request_id").asText()).isEqualTo("boom-1");
    assertThat(response.body()).doesNotContain("secret internals").doesNotContain("IllegalState");
  }

  @Test
  void stopsGracefullyLettingARequestInFlightFinish() throws Exception {
    try (TestServer stopping = TestServer.start()) {
      // given a readiness check that is held up
      CountDownLatch entered = stopping.health.hold();
      CompletableFuture<ApiClient.Response> inFlight =
          stopping.client.sendAsync(stopping.client.request("/health/ready").GET());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      // when
      CompletableFuture<Void> stopped =
          CompletableFuture.runAsync(() -> stopping.server.stop(Duration.ofSeconds(30)));
      ApiClient.Response refusal = awaitRefusalOfNewRequests(stopping.client);
      stopping.health.release();

      // then
      assertThat(refusal.error()).isEqualTo("unavailable");
      assertThat(refusal.header("Retry-After")).isEqualTo("1");
      assertThat(refusal.header("X-Request-Id")).isEqualTo("late-1");
      assertThat(inFlight.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      stopped.get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> stopping.client.get("/health"))
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  private static ApiClient.Response awaitRefusalOfNewRequests(ApiClient client)
      throws InterruptedException {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      ApiClient.Response response = client.get("/health", "X-Request-Id", "late-1");
      if (response.status() == 503) {
        return response;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server kept accepting new requests while stopping");
  }

  private static String[] append(String[] headers, String name, String value) {
    String[] more = java.util.Arrays.copyOf(headers, headers.length + 2);
    more[headers.length] = name;
    more[headers.length + 1] = value;
    return more;
  }

  private Timer awaitTimer(long count, String... tags) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Timer timer = server.meters.find(RequestMetrics.NAME).tags(tags).timer();
      if ((timer != null && timer.count() >= count) || System.nanoTime() > deadline) {
        assertThat(timer).as("timer %s", Arrays.toString(tags)).isNotNull();
        return timer;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}

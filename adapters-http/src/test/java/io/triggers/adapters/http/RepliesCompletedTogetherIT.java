package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import io.triggers.core.model.StorageUnavailableException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many requests in flight at once whose appends one thread completes together, as a group commit
 * does: each connection gets its own reply, once, whatever the outcome.
 */
class RepliesCompletedTogetherIT {

  private static final int REQUESTS = 200;

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
    server.store.completeTogether(0);
  }

  @Test
  void eachOfManyEventsCommittedTogetherGetsItsOwnReply() {
    // given
    Organization organization = server.organization();
    server.store.completeTogether(REQUESTS);

    // when
    List<ApiClient.Response> responses =
        concurrently(
            REQUESTS,
            i ->
                post(
                    "/api/events",
                    "{\"type\":\"order."
                        + i
                        + "\",\"payload\":{\"n\":"
                        + i
                        + "},"
                        + "\"dedup_id\":\"together-"
                        + i
                        + "\"}",
                    organization,
                    "together-request-" + i));

    // then
    Set<String> ids = new HashSet<>();
    Set<String> remaining = new HashSet<>();
    for (int i = 0; i < REQUESTS; i++) {
      ApiClient.Response response = responses.get(i);
      assertThat(response.status()).as(response.body()).isEqualTo(202);
      assertThat(response.header("X-Request-Id")).isEqualTo("together-request-" + i);
      JsonNode body = response.json();
      assertThat(body.get("type").asText()).isEqualTo("order." + i);
      assertThat(body.get("dedup_id").asText()).isEqualTo("together-" + i);
      ids.add(body.get("id").asText());
      remaining.add(response.header("X-RateLimit-Remaining"));
      assertThat(
              client
                  .get("/api/events/" + body.get("id").asText(), organization.auth())
                  .json()
                  .get("type")
                  .asText())
          .isEqualTo("order." + i);
    }
    assertThat(ids).hasSize(REQUESTS);
    // Each request was judged by the rate limit on its own, and got its own headers back.
    assertThat(remaining).hasSize(REQUESTS);
  }

  @Test
  void eachOfManyEventsThatFailTogetherGetsItsOwn503() {
    // given
    Organization organization = server.organization();
    server.store.failWith(() -> new StorageUnavailableException("database down", null));
    server.store.completeTogether(REQUESTS);

    // when
    List<ApiClient.Response> responses =
        concurrently(
            REQUESTS,
            i ->
                post(
                    "/api/events",
                    "{\"type\":\"t\",\"payload\":{}}",
                    organization,
                    "failing-request-" + i));

    // then
    for (int i = 0; i < REQUESTS; i++) {
      ApiClient.Response response = responses.get(i);
      assertThat(response.status()).as(response.body()).isEqualTo(503);
      assertThat(response.header("Retry-After")).isEqualTo("5");
      assertThat(response.header("X-Request-Id")).isEqualTo("failing-request-" + i);
      assertThat(response.json().get("request_id").asText()).isEqualTo("failing-request-" + i);
    }
  }

  @Test
  void eachOfManyRepeatsGetsItsOwnOriginalsId() {
    // given
    Organization organization = server.organization();
    List<String> originals = new ArrayList<>();
    for (int i = 0; i < REQUESTS / 4; i++) {
      originals.add(
          post(
                  "/api/events",
                  "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"repeat-" + i + "\"}",
                  organization,
                  "original-" + i)
              .join()
              .json()
              .get("id")
              .asText());
    }

    // when
    List<ApiClient.Response> responses =
        concurrently(
            REQUESTS / 4,
            i ->
                post(
                    "/api/events",
                    "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"repeat-" + i + "\"}",
                    organization,
                    "repeat-request-" + i));

    // then
    for (int i = 0; i < REQUESTS / 4; i++) {
      ApiClient.Response response = responses.get(i);
      assertThat(response.status()).as(response.body()).isEqualTo(409);
      assertThat(response.header("X-Request-Id")).isEqualTo("repeat-request-" + i);
      assertThat(response.json().get("id").asText()).isEqualTo(originals.get(i));
      assertThat(response.header("X-RateLimit-Limit")).isEqualTo("100000");
    }
  }

  @Test
  void eachOfManyBatchesCommittedTogetherGetsItsOwnResults() {
    // given
    Organization organization = server.organization();
    int batches = REQUESTS / 4;
    server.store.completeTogether(batches);

    // when
    List<ApiClient.Response> responses =
        concurrently(
            batches,
            i ->
                post(
                    "/api/events/batch",
                    "{\"events\":[{\"type\":\"batch."
                        + i
                        + "\",\"payload\":{}},{\"type\":\"\",\"payload\":{}},"
                        + "{\"type\":\"batch."
                        + i
                        + "\",\"payload\":{\"second\":true}}]}",
                    organization,
                    "batch-request-" + i));

    // then
    for (int i = 0; i < batches; i++) {
      ApiClient.Response response = responses.get(i);
      assertThat(response.status()).as(response.body()).isEqualTo(202);
      assertThat(response.header("X-Request-Id")).isEqualTo("batch-request-" + i);
      JsonNode results = response.json().get("results");
      assertThat(results).hasSize(3);
      assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
      assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
      assertThat(results.get(2).get("status").asText()).isEqualTo("accepted");
      for (int item : new int[] {0, 2}) {
        String id = results.get(item).get("id").asText();
        assertThat(client.get("/api/events/" + id, organization.auth()).json().get("type").asText())
            .isEqualTo("batch." + i);
      }
    }
  }

  private static CompletableFuture<ApiClient.Response> post(
      String path, String json, Organization organization, String requestId) {
    return client.sendAsync(
        client
            .request(path, organization.auth())
            .header("Content-Type", "application/json")
            .header("X-Request-Id", requestId)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Sends {@code count} requests at once and waits for every answer, in the order sent. */
  private static List<ApiClient.Response> concurrently(
      int count, IntFunction<CompletableFuture<ApiClient.Response>> request) {
    List<CompletableFuture<ApiClient.Response>> inFlight = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.add(request.apply(i));
    }
    return inFlight.stream().map(CompletableFuture::join).toList();
  }
}

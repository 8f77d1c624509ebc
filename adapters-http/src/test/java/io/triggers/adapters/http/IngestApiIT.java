package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IngestApiIT {

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

  @Test
  void acceptsAnEventWithRateLimitHeaders() {
    // given
    Organization organization = server.organization("pro");

    // when
    ApiClient.Response response =
        client.post(
            "/api/events",
            "{\"type\":\"order.created\",\"payload\":{\"id\":7},\"dedup_id\":\"o-7\",\"extra\":[1]}",
            organization.auth());

    // then
    assertThat(response.status()).isEqualTo(202);
    JsonNode body = response.json();
    assertThat(body.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-.*");
    assertThat(body.get("status").asText()).isEqualTo("accepted");
    assertThat(body.get("type").asText()).isEqualTo("order.created");
    assertThat(body.get("dedup_id").asText()).isEqualTo("o-7");
    assertThat(body.get("created_at").asText()).isEqualTo(server.clock.instant().toString());
    assertThat(response.header("X-RateLimit-Limit")).isEqualTo("1000");
    assertThat(response.header("X-RateLimit-Remaining")).isEqualTo("999");
    assertThat(response.header("X-RateLimit-Reset")).isEqualTo("1");
  }

  @Test
  void anEventWithoutDedupIdHasANullOne() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response response =
        client.post("/api/events", "{\"type\":\"t\",\"payload\":{}}", organization.auth());

    // then
    assertThat(response.status()).isEqualTo(202);
    assertThat(response.json().get("dedup_id").isNull()).isTrue();
  }

  @Test
  void refusesASecondEventWithTheSameDedupIdNamingTheFirst() {
    // given
    Organization organization = server.organization();
    String event = "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"same\"}";
    String first = client.post("/api/events", event, organization.auth()).json().get("id").asText();

    // when
    ApiClient.Response second = client.post("/api/events", event, organization.auth());

    // then
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.error()).isEqualTo("duplicate_event");
    assertThat(second.json().get("id").asText()).isEqualTo(first);
    assertThat(second.header("X-RateLimit-Limit")).isEqualTo("100000");
    assertThat(second.header("X-RateLimit-Remaining")).isNotNull();
    assertThat(second.header("X-RateLimit-Reset")).isNotNull();
  }

  @Test
  void dedupIdsAreUniquePerOrganizationOnly() {
    // given
    String event = "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"shared\"}";

    // when
    ApiClient.Response one = client.post("/api/events", event, server.organization().auth());
    ApiClient.Response other = client.post("/api/events", event, server.organization().auth());

    // then
    assertThat(one.status()).isEqualTo(202);
    assertThat(other.status()).isEqualTo(202);
  }

  @Test
  void treatsTheIdempotencyKeyHeaderAsTheDedupId() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response first =
        client.post(
            "/api/events",
            "{\"type\":\"t\",\"payload\":{}}",
            append(organization.auth(), "Idempotency-Key", "key-1"));
    ApiClient.Response again =
        client.post(
            "/api/events",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"key-1\"}",
            organization.auth());
    ApiClient.Response agreeing =
        client.post(
            "/api/events",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"key-2\"}",
            append(organization.auth(), "Idempotency-Key", "key-2"));
    ApiClient.Response differing =
        client.post(
            "/api/events",
            "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"key-3\"}",
            append(organization.auth(), "Idempotency-Key", "key-4"));

    // then
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json().get("dedup_id").asText()).isEqualTo("key-1");
    assertThat(again.status()).isEqualTo(409);
    assertThat(agreeing.status()).isEqualTo(202);
    assertThat(differing.status()).isEqualTo(400);
    assertThat(differing.json().get("field").asText()).isEqualTo("dedup_id");
  }

  @Test
  void refusesEventsThatBreakTheFieldRules() {
    // given
    Organization organization = server.organization();
    String longType = "t".repeat(256);

    // when / then
    assertRefused(organization, "{\"payload\":{}}", "type");
    assertRefused(organization, "{\"type\":\"\",\"payload\":{}}", "type");
    assertRefused(organization, "{\"type\":\"" + longType + "\",\"payload\":{}}", "type");
    assertRefused(organization, "{\"type\":\"a\\u0007b\",\"payload\":{}}", "type");
    assertRefused(organization, "{\"type\":17,\"payload\":{}}", "type");
    assertRefused(organization, "{\"type\":\"t\"}", "payload");
    assertRefused(organization, "{\"type\":\"t\",\"payload\":\"{}\"}", "payload");
    assertRefused(organization, "{\"type\":\"t\",\"payload\":[1,2]}", "payload");
    assertRefused(organization, "{\"type\":\"t\",\"payload\":null}", "payload");
    assertRefused(organization, "{\"type\":\"t\",\"payload\":{},\"dedup_id\":5}", "dedup_id");
    assertRefused(organization, "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"\"}", "dedup_id");
    assertRefused(
        organization,
        "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"" + "d".repeat(256) + "\"}",
        "dedup_id");
  }

  private static void assertRefused(Organization organization, String body, String field) {
    ApiClient.Response response = client.post("/api/events", body, organization.auth());
    assertThat(response.status()).as(body).isEqualTo(400);
    assertThat(response.error()).as(body).isEqualTo("invalid_request");
    assertThat(response.json().get("field").asText()).as(body).isEqualTo(field);
  }

  @Test
  void keepsSqlLookingTextAsPlainData() {
    // given
    Organization organization = server.organization();
    String sneaky = "'; DROP TABLE events; --";

    // when
    ApiClient.Response response =
        client.post(
            "/api/events",
            "{\"type\":\""
                + sneaky
                + "\",\"payload\":{\"q\":\""
                + sneaky
                + "\"},\"dedup_id\":\""
                + sneaky
                + "\"}",
            organization.auth());

    // then
    assertThat(response.status()).isEqualTo(202);
    JsonNode stored =
        client.get("/api/events/" + response.json().get("id").asText(), organization.auth()).json();
    assertThat(stored.get("type").asText()).isEqualTo(sneaky);
    assertThat(stored.get("payload").get("q").asText()).isEqualTo(sneaky);
  }

  @Test
  void ofFiftyConcurrentEventsWithOneNewDedupIdExactlyOneIsAccepted() {
    // given
    Organization organization = server.organization();
    String event = "{\"type\":\"race\",\"payload\":{},\"dedup_id\":\"race-1\"}";
    List<CompletableFuture<ApiClient.Response>> inFlight = new ArrayList<>();

    // when
    for (int i = 0; i < 50; i++) {
      inFlight.add(
          client.sendAsync(
              client
                  .request("/api/events", organization.auth())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(event))));
    }
    List<ApiClient.Response> responses = inFlight.stream().map(CompletableFuture::join).toList();

    // then
    List<ApiClient.Response> accepted = responses.stream().filter(r -> r.status() == 202).toList();
    List<ApiClient.Response> duplicates =
        responses.stream().filter(r -> r.status() == 409).toList();
    assertThat(accepted).hasSize(1);
    assertThat(duplicates).hasSize(49);
    String winner = accepted.get(0).json().get("id").asText();
    assertThat(duplicates)
        .allSatisfy(r -> assertThat(r.json().get("id").asText()).isEqualTo(winner));
    assertThat(client.get("/api/inbox?type=race", organization.auth()).json().get("events"))
        .hasSize(1);
  }

  @Test
  void judgesEachEventOfABatchOnItsOwn() {
    // given
    Organization organization = server.organization("pro");
    String original = server.ingest(organization, "before");
    client.post(
        "/api/events",
        "{\"type\":\"t\",\"payload\":{},\"dedup_id\":\"seen\"}",
        organization.auth());
    String batch =
        "{\"events\":["
            + "{\"type\":\"a\",\"payload\":{\"i\":0}},"
            + "{\"type\":\"b\",\"payload\":\"not an object\"},"
            + "{\"type\":\"c\",\"payload\":{},\"dedup_id\":\"seen\"},"
            + "{\"type\":\"d\",\"payload\":{},\"dedup_id\":\"twice\"},"
            + "{\"type\":\"e\",\"payload\":{},\"dedup_id\":\"twice\"},"
            + "42"
            + "]}";

    // when
    ApiClient.Response response = client.post("/api/events/batch", batch, organization.auth());

    // then
    assertThat(original).isNotBlank();
    assertThat(response.status()).isEqualTo(202);
    JsonNode results = response.json().get("results");
    assertThat(results).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
    }
    assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
    assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
    assertThat(results.get(1).get("error").asText()).isEqualTo("payload must be a JSON object");
    assertThat(results.get(1).has("id")).isFalse();
    assertThat(results.get(2).get("status").asText()).isEqualTo("duplicate");
    assertThat(results.get(3).get("status").asText()).isEqualTo("accepted");
    assertThat(results.get(4).get("status").asText()).isEqualTo("duplicate");
    assertThat(results.get(4).get("id").asText()).isEqualTo(results.get(3).get("id").asText());
    assertThat(results.get(5).get("status").asText()).isEqualTo("rejected");
    assertThat(response.header("X-RateLimit-Limit")).isEqualTo("1000");
    assertThat(response.header("X-RateLimit-Remaining")).isEqualTo("994");
    String acceptedId = results.get(0).get("id").asText();
    assertThat(
            client
                .get("/api/events/" + acceptedId, organization.auth())
                .json()
                .get("type")
                .asText())
        .isEqualTo("a");
  }

  @Test
  void refusesABatchThatIsEmptyTooLargeOrAllInvalid() {
    // given
    Organization organization = server.organization();
    String tooMany =
        "{\"events\":["
            + "{\"type\":\"t\",\"payload\":{}},".repeat(100)
            + "{\"type\":\"t\",\"payload\":{}}]}";

    // when
    ApiClient.Response empty =
        client.post("/api/events/batch", "{\"events\":[]}", organization.auth());
    ApiClient.Response large = client.post("/api/events/batch", tooMany, organization.auth());
    ApiClient.Response missing = client.post("/api/events/batch", "{}", organization.auth());
    ApiClient.Response notArray =
        client.post("/api/events/batch", "{\"events\":{}}", organization.auth());
    ApiClient.Response allInvalid =
        client.post("/api/events/batch", "{\"events\":[{\"type\":\"t\"},7]}", organization.auth());

    // then
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().get("field").asText()).isEqualTo("events");
    assertThat(large.status()).isEqualTo(400);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(notArray.status()).isEqualTo(400);
    assertThat(allInvalid.status()).isEqualTo(400);
    assertThat(allInvalid.error()).isEqualTo("invalid_request");
    assertThat(allInvalid.json().get("results")).hasSize(2);
    assertThat(allInvalid.json().get("results").get(0).get("status").asText())
        .isEqualTo("rejected");
    assertThat(client.get("/api/inbox", organization.auth()).json().get("events")).isEmpty();
  }

  @Test
  void aFreeOrganizationGetsOneHundredEventsAMinuteThenTooManyRequests() {
    // given
    Organization organization = server.organization("free");
    String event = "{\"type\":\"t\",\"payload\":{}}";
    for (int i = 0; i < 100; i++) {
      ApiClient.Response accepted = client.post("/api/events", event, organization.auth());
      assertThat(accepted.status()).isEqualTo(202);
      assertThat(accepted.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(99 - i));
    }

    // when
    ApiClient.Response limited = client.post("/api/events", event, organization.auth());
    ApiClient.Response limitedBatch =
        client.post("/api/events/batch", "{\"events\":[" + event + "]}", organization.auth());

    // then
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.error()).isEqualTo("rate_limited");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("100");
    assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(limited.header("X-RateLimit-Reset")).isEqualTo("60");
    assertThat(limitedBatch.status()).isEqualTo(429);
    assertThat(limitedBatch.header("Retry-After")).isEqualTo("1");

    // and after the refill interval one more fits
    server.clock.advance(Duration.ofMillis(600));
    assertThat(client.post("/api/events", event, organization.auth()).status()).isEqualTo(202);
  }

  private static String[] append(String[] headers, String name, String value) {
    String[] more = java.util.Arrays.copyOf(headers, headers.length + 2);
    more[headers.length] = name;
    more[headers.length + 1] = value;
    return more;
  }
}

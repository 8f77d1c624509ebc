package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lease routes through a real server: the consumer loop, the dead-letter path, bad input. */
class LeaseApiIT {

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
  void leasesOldestFirstThenAcksThroughTheLease() {
    // given
    Organization organization = server.organization();
    String first = server.ingest(organization, "a");
    String second = server.ingest(organization, "b");
    server.ingest(organization, "c");

    // when
    ApiClient.Response leased =
        client.post("/api/inbox/lease", "{\"limit\":2,\"lease_seconds\":30}", organization.auth());
    String lease = leased.json().get("lease_id").asText();
    ApiClient.Response acked =
        client.post("/api/inbox/leases/" + lease + "/ack", "{}", organization.auth());

    // then
    assertThat(leased.status()).isEqualTo(200);
    assertThat(ids(leased.json().get("events"))).containsExactly(first, second);
    JsonNode event = leased.json().get("events").get(0);
    assertThat(event.get("type").asText()).isEqualTo("a");
    assertThat(event.get("payload").get("n").asInt()).isEqualTo(1);
    assertThat(event.get("lease_count").asInt()).isOne();
    assertThat(leased.json().get("leased_until").asText())
        .isEqualTo(server.clock.instant().plusSeconds(30).toString());
    assertThat(acked.status()).isEqualTo(200);
    assertThat(texts(acked.json().get("acknowledged"))).containsExactly(first, second);
    assertThat(acked.json().get("expired")).isEmpty();
    JsonNode stored = client.get("/api/events/" + first, organization.auth()).json();
    assertThat(stored.get("delivery").get("status").asText()).isEqualTo("delivered");
    assertThat(stored.get("inbox").get("status").asText()).isEqualTo("acknowledged");
    assertThat(stored.get("inbox").get("lease_count").asInt()).isOne();
  }

  @Test
  void answersAnEmptyLeaseWhenNothingIsLeasable() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response leased = client.post("/api/inbox/lease", "{}", organization.auth());

    // then
    assertThat(leased.status()).isEqualTo(200);
    assertThat(leased.json().get("lease_id").isNull()).isTrue();
    assertThat(leased.json().get("events")).isEmpty();
  }

  @Test
  void showsTheLeaseOnTheEventAndExtendsIt() {
    // given
    Organization organization = server.organization();
    String id = server.ingest(organization, "a");
    String lease =
        client.post("/api/inbox/lease", "{}", organization.auth()).json().get("lease_id").asText();

    // when
    JsonNode inbox = client.get("/api/events/" + id, organization.auth()).json().get("inbox");
    ApiClient.Response extended =
        client.post(
            "/api/inbox/leases/" + lease + "/extend",
            "{\"lease_seconds\":600}",
            organization.auth());

    // then
    assertThat(inbox.get("status").asText()).isEqualTo("leased");
    assertThat(inbox.get("leased_until").asText())
        .isEqualTo(server.clock.instant().plusSeconds(300).toString());
    assertThat(extended.status()).isEqualTo(200);
    assertThat(extended.json().get("lease_id").asText()).isEqualTo(lease);
    assertThat(extended.json().get("leased_until").asText())
        .isEqualTo(server.clock.instant().plusSeconds(600).toString());
  }

  @Test
  void extendingALeaseThatHoldsNothingIsAConflict() {
    // given
    Organization organization = server.organization();
    server.ingest(organization, "a");
    String lease = leaseOne(organization);
    server.clock.advance(Duration.ofSeconds(301));
    leaseOne(organization);

    // when
    ApiClient.Response extended =
        client.post(
            "/api/inbox/leases/" + lease + "/extend",
            "{\"lease_seconds\":60}",
            organization.auth());
    ApiClient.Response late =
        client.post("/api/inbox/leases/" + lease + "/ack", "{}", organization.auth());

    // then
    assertThat(extended.status()).isEqualTo(409);
    assertThat(extended.error()).isEqualTo("lease_expired");
    assertThat(late.json().get("acknowledged")).isEmpty();
    assertThat(late.json().get("expired")).hasSize(1);
  }

  @Test
  void anEventReleasedOnItsLastLeaseIsDeadUntilRedelivered() {
    // given
    Organization organization = server.organization();
    String id = server.ingest(organization, "poison");
    for (int i = 0; i < TestServer.MAX_LEASES; i++) {
      String lease = leaseOne(organization);
      ApiClient.Response released =
          client.post(
              "/api/inbox/leases/" + lease + "/release",
              "{\"delay_seconds\":60}",
              organization.auth());
      assertThat(texts(released.json().get("released"))).containsExactly(id);
      server.clock.advance(Duration.ofSeconds(60));
    }

    // when
    JsonNode dead = client.get("/api/inbox?status=dead", organization.auth()).json();
    JsonNode inbox = client.get("/api/events/" + id, organization.auth()).json().get("inbox");
    JsonNode nothing = client.post("/api/inbox/lease", "{}", organization.auth()).json();
    ApiClient.Response revived =
        client.postWithoutBody("/api/events/" + id + "/redeliver", organization.auth());

    // then
    assertThat(ids(dead.get("events"))).containsExactly(id);
    assertThat(inbox.get("status").asText()).isEqualTo("dead");
    assertThat(inbox.get("lease_count").asInt()).isEqualTo(TestServer.MAX_LEASES);
    assertThat(nothing.get("events")).isEmpty();
    assertThat(revived.status()).isEqualTo(202);
    JsonNode again = client.post("/api/inbox/lease", "{}", organization.auth()).json();
    assertThat(ids(again.get("events"))).containsExactly(id);
    assertThat(again.get("events").get(0).get("lease_count").asInt()).isOne();
    assertThat(
            client
                .postWithoutBody("/api/events/" + id + "/redeliver", organization.auth())
                .status())
        .isEqualTo(409);
  }

  @Test
  void seekReopensWhatWasAcknowledgedSinceTheTime() {
    // given
    Organization organization = server.organization();
    String before = server.ingest(organization, "a");
    server.clock.advance(Duration.ofSeconds(1));
    String time = server.clock.instant().toString();
    String after = server.ingest(organization, "b");
    client.post(
        "/api/inbox/ack",
        "{\"event_ids\":[\"" + before + "\",\"" + after + "\"]}",
        organization.auth());

    // when
    ApiClient.Response sought =
        client.post("/api/inbox/seek", "{\"time\":\"" + time + "\"}", organization.auth());

    // then
    assertThat(sought.status()).isEqualTo(200);
    assertThat(sought.json().get("requeued").asInt()).isOne();
    JsonNode lease = client.post("/api/inbox/lease", "{}", organization.auth()).json();
    assertThat(ids(lease.get("events"))).containsExactly(after);
  }

  @Test
  void anotherOrganizationsLeaseAndMalformedLeaseIdsAreNotFound() {
    // given
    Organization owner = server.organization();
    Organization other = server.organization();
    server.ingest(owner, "a");
    String lease = leaseOne(owner);

    // when, then
    for (String path :
        List.of(
            "/api/inbox/leases/" + lease + "/ack",
            "/api/inbox/leases/" + lease + "/release",
            "/api/inbox/leases/" + UUID.randomUUID() + "/ack",
            "/api/inbox/leases/not-a-lease/ack",
            "/api/inbox/leases/%27%20OR%201=1--/release")) {
      ApiClient.Response response = client.post(path, "{}", other.auth());
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.error()).as(path).isEqualTo("not_found");
    }
    assertThat(
            client
                .post(
                    "/api/inbox/leases/" + lease + "/extend", "{\"lease_seconds\":5}", other.auth())
                .status())
        .isEqualTo(404);
    assertThat(client.post("/api/inbox/leases/" + lease + "/ack", "{}", owner.auth()).status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/inbox/lease|{\"limit\":0}",
        "/api/inbox/lease|{\"limit\":101}",
        "/api/inbox/lease|{\"limit\":\"10\"}",
        "/api/inbox/lease|{\"limit\":1.5}",
        "/api/inbox/lease|{\"limit\":1e40}",
        "/api/inbox/lease|{\"lease_seconds\":0}",
        "/api/inbox/lease|{\"lease_seconds\":3601}",
        "/api/inbox/lease|{\"lease_seconds\":99999999999}",
        "/api/inbox/lease|{\"type\":\"\"}",
        "/api/inbox/lease|{\"type\":7}",
        "/api/inbox/lease|[]",
        "/api/inbox/seek|{}",
        "/api/inbox/seek|{\"time\":\"yesterday\"}",
        "/api/inbox/seek|{\"time\":\"2026-01-01T00:00:00\"}",
        "/api/inbox/seek|{\"time\":12}",
        "LEASE/ack|{\"event_ids\":\"all\"}",
        "LEASE/ack|{\"event_ids\":[\"not-an-id\"]}",
        "LEASE/ack|{\"event_ids\":[1]}",
        "LEASE/extend|{}",
        "LEASE/extend|{\"lease_seconds\":3601}",
        "LEASE/extend|{\"lease_seconds\":-1}",
        "LEASE/release|{\"delay_seconds\":43201}",
        "LEASE/release|{\"delay_seconds\":-1}",
        "LEASE/release|{\"delay_seconds\":true}",
      })
  void refusesBadParametersWithTheErrorBody(String request) {
    // given
    Organization organization = server.organization();
    server.ingest(organization, "a");
    String lease = leaseOne(organization);
    String[] parts = request.split("\\|", 2);
    String path = parts[0].replace("LEASE", "/api/inbox/leases/" + lease);

    // when
    ApiClient.Response response = client.post(path, parts[1], organization.auth());

    // then
    assertThat(response.status()).as(request).isEqualTo(400);
    assertThat(response.error()).as(request).isIn("invalid_request", "invalid_json");
    assertThat(response.json().get("request_id").asText()).isNotEmpty();
  }

  @Test
  void refusesAStatusItDoesNotKnowNamingDeadAmongTheChoices() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response response = client.get("/api/inbox?status=zombie", organization.auth());

    // then
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("message").asText()).contains("dead");
  }

  private static String leaseOne(Organization organization) {
    ApiClient.Response leased =
        client.post("/api/inbox/lease", "{\"limit\":1}", organization.auth());
    assertThat(leased.status()).isEqualTo(200);
    return leased.json().get("lease_id").asText();
  }

  private static List<String> ids(JsonNode events) {
    List<String> ids = new ArrayList<>();
    events.forEach(event -> ids.add(event.get("id").asText()));
    return ids;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(text -> texts.add(text.asText()));
    return texts;
  }
}

package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EndpointsApiIT {

  private static final String PUBLIC_URL = "https://93.184.216.34/hooks";

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
  void createsAnEndpointShowingItsSecretOnceThenListsAndReadsItWithout() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response created =
        send(
            "POST",
            "/api/endpoints",
            organization,
            "{\"url\":\""
                + PUBLIC_URL
                + "\",\"event_types\":[\"order.*\",\"user.deleted\"],"
                + "\"description\":\"warehouse\"}");

    // then
    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    String id = body.get("id").asText();
    assertThat(body.get("url").asText()).isEqualTo(PUBLIC_URL);
    assertThat(body.get("event_types")).hasSize(2);
    assertThat(body.get("description").asText()).isEqualTo("warehouse");
    assertThat(body.get("status").asText()).isEqualTo("enabled");
    assertThat(body.get("signing_secret").asText()).startsWith("whsec_");
    ApiClient.Response listed = send("GET", "/api/endpoints", organization, null);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("endpoints")).hasSize(1);
    ApiClient.Response read = send("GET", "/api/endpoints/" + id, organization, null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("id").asText()).isEqualTo(id);
    assertThat(listed.body()).doesNotContain("whsec_");
    assertThat(read.body()).doesNotContain("whsec_");
  }

  @Test
  void changesAnEndpointsAddressFiltersAndStatusButNeverToDisabled() {
    // given
    Organization organization = server.organization();
    String id = created(organization);

    // when
    ApiClient.Response paused =
        send(
            "PATCH",
            "/api/endpoints/" + id,
            organization,
            "{\"status\":\"paused\",\"event_types\":[\"invoice.paid\"],"
                + "\"url\":\"https://93.184.216.35/new\"}");
    ApiClient.Response disabled =
        send("PATCH", "/api/endpoints/" + id, organization, "{\"status\":\"disabled\"}");
    ApiClient.Response enabled =
        send("PATCH", "/api/endpoints/" + id, organization, "{\"status\":\"enabled\"}");

    // then
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.json().get("status").asText()).isEqualTo("paused");
    assertThat(paused.json().get("url").asText()).isEqualTo("https://93.184.216.35/new");
    assertThat(paused.json().get("event_types").get(0).asText()).isEqualTo("invoice.paid");
    assertThat(disabled.status()).isEqualTo(400);
    assertThat(disabled.json().get("field").asText()).isEqualTo("status");
    assertThat(enabled.json().get("status").asText()).isEqualTo("enabled");
  }

  @Test
  void deletesAnEndpointOnce() {
    // given
    Organization organization = server.organization();
    String id = created(organization);

    // when
    ApiClient.Response deleted = send("DELETE", "/api/endpoints/" + id, organization, null);
    ApiClient.Response again = send("DELETE", "/api/endpoints/" + id, organization, null);

    // then
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(again.status()).isEqualTo(404);
    assertThat(send("GET", "/api/endpoints/" + id, organization, null).status()).isEqualTo(404);
  }

  @Test
  void treatsAnotherOrganizationsEndpointAsUnknownOnEveryRoute() {
    // given
    Organization owner = server.organization();
    Organization stranger = server.organization();
    String id = created(owner);
    String path = "/api/endpoints/" + id;

    // when / then
    assertThat(send("GET", path, stranger, null).status()).isEqualTo(404);
    assertThat(send("PATCH", path, stranger, "{\"status\":\"paused\"}").status()).isEqualTo(404);
    assertThat(send("DELETE", path, stranger, null).status()).isEqualTo(404);
    assertThat(send("GET", "/api/endpoints", stranger, null).json().get("endpoints")).isEmpty();
    assertThat(send("GET", path, owner, null).json().get("status").asText()).isEqualTo("enabled");
  }

  @Test
  void refusesBadInputWithTheErrorBody() {
    // given
    Organization organization = server.organization();
    String id = created(organization);

    // when / then
    assertBadRequest(organization, "POST", "/api/endpoints", "{}", "url");
    assertBadRequest(organization, "POST", "/api/endpoints", "{\"url\":42}", "url");
    assertBadRequest(
        organization, "POST", "/api/endpoints", "{\"url\":\"ftp://example.com\"}", "url");
    assertBadRequest(
        organization,
        "POST",
        "/api/endpoints",
        "{\"url\":\"" + PUBLIC_URL + "\",\"event_types\":\"order.*\"}",
        "event_types");
    assertBadRequest(
        organization,
        "POST",
        "/api/endpoints",
        "{\"url\":\"" + PUBLIC_URL + "\",\"event_types\":[\"order.*.x\"]}",
        "event_types");
    assertBadRequest(
        organization,
        "POST",
        "/api/endpoints",
        "{\"url\":\"" + PUBLIC_URL + "\",\"event_types\":[7]}",
        "event_types");
    assertBadRequest(
        organization,
        "POST",
        "/api/endpoints",
        "{\"url\":\"" + PUBLIC_URL + "\",\"description\":\"a\\u0000b\"}",
        "description");
    assertBadRequest(
        organization, "PATCH", "/api/endpoints/" + id, "{\"status\":\"asleep\"}", "status");
    assertThat(send("GET", "/api/endpoints/not-an-id", organization, null).status()).isEqualTo(404);
  }

  @Test
  void refusesPrivateAddressesOnCreateAndOnUpdate() {
    // given
    Organization organization = server.organization();
    String id = created(organization);

    // when
    ApiClient.Response create =
        send("POST", "/api/endpoints", organization, "{\"url\":\"http://127.0.0.1:9/hook\"}");
    ApiClient.Response update =
        send(
            "PATCH",
            "/api/endpoints/" + id,
            organization,
            "{\"url\":\"http://[::ffff:10.0.0.1]/hook\"}");

    // then
    assertThat(create.status()).isEqualTo(400);
    assertThat(create.error()).isEqualTo("invalid_url");
    assertThat(update.status()).isEqualTo(400);
    assertThat(update.error()).isEqualTo("invalid_url");
    assertThat(send("GET", "/api/endpoints/" + id, organization, null).json().get("url").asText())
        .isEqualTo(PUBLIC_URL);
  }

  @Test
  void rotatesTheSecretKeepingTheOldOneForTheGracePeriodAndRefusesABadGrace() {
    // given
    Organization owner = server.organization();
    Organization stranger = server.organization();
    String id = created(owner);
    String path = "/api/endpoints/" + id + "/secret/rotate";

    // when
    ApiClient.Response rotated = send("POST", path, owner, "{\"grace_seconds\":3600}");
    ApiClient.Response withoutGrace = send("POST", path, owner, "{\"grace_seconds\":0}");

    // then
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json().get("signing_secret").asText()).startsWith("whsec_");
    assertThat(rotated.json().get("previous_secret_expires_at").asText())
        .isEqualTo(server.clock.instant().plusSeconds(3600).toString());
    assertThat(withoutGrace.json().get("previous_secret_expires_at").isNull()).isTrue();
    assertThat(withoutGrace.json().get("signing_secret").asText())
        .isNotEqualTo(rotated.json().get("signing_secret").asText());
    assertThat(send("POST", path, stranger, "{}").status()).isEqualTo(404);
    assertBadRequest(owner, "POST", path, "{\"grace_seconds\":-1}", "grace_seconds");
    assertBadRequest(owner, "POST", path, "{\"grace_seconds\":604801}", "grace_seconds");
    assertBadRequest(owner, "POST", path, "{\"grace_seconds\":\"1h\"}", "grace_seconds");
    assertBadRequest(owner, "POST", path, "{\"grace_seconds\":1e400}", "grace_seconds");
  }

  @Test
  void refusesTheFiftyFirstEndpoint() {
    // given
    Organization organization = server.organization();
    for (int i = 0; i < 50; i++) {
      created(organization);
    }

    // when
    ApiClient.Response refused =
        send("POST", "/api/endpoints", organization, "{\"url\":\"" + PUBLIC_URL + "\"}");

    // then
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.error()).isEqualTo("too_many_endpoints");
  }

  private static void assertBadRequest(
      Organization organization, String method, String path, String json, String field) {
    ApiClient.Response response = send(method, path, organization, json);
    assertThat(response.status()).as(json).isEqualTo(400);
    assertThat(response.json().get("field").asText()).as(json).isEqualTo(field);
    assertThat(response.json().get("request_id")).as(json).isNotNull();
  }

  private static String created(Organization organization) {
    ApiClient.Response created =
        send("POST", "/api/endpoints", organization, "{\"url\":\"" + PUBLIC_URL + "\"}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static ApiClient.Response send(
      String method, String path, Organization organization, String json) {
    return client.send(method, path, Optional.of(organization.apiKey()), json);
  }
}

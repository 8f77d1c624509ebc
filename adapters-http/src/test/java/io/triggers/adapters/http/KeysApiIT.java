package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.TestServer.Organization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeysApiIT {

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
  void generatesAFreeOrganizationWithAKeyShownOnce() {
    // when
    ApiClient.Response response =
        client.post("/api/keys/generate", "{\"organization_name\":\"  Acme  \"}");

    // then
    assertThat(response.status()).isEqualTo(201);
    JsonNode body = response.json();
    assertThat(body.get("organization_id").asText()).hasSize(36);
    assertThat(body.get("organization_name").asText()).isEqualTo("Acme");
    assertThat(body.get("api_key").asText()).startsWith("trg_");
    assertThat(body.get("tier").asText()).isEqualTo("free");
    assertThat(body.get("rate_limit_per_minute").asInt()).isEqualTo(100);
    assertThat(body.get("created_at").asText()).isEqualTo(server.clock.instant().toString());
  }

  @Test
  void generatesAnOrganizationOfTheTierAskedFor() {
    // when
    ApiClient.Response response =
        client.post("/api/keys/generate", "{\"organization_name\":\"Big\",\"tier\":\"business\"}");

    // then
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.json().get("tier").asText()).isEqualTo("business");
    assertThat(response.json().get("rate_limit_per_minute").asInt()).isEqualTo(10_000);
  }

  @Test
  void refusesAnUnknownTierAndAMissingName() {
    // when
    ApiClient.Response badTier =
        client.post("/api/keys/generate", "{\"organization_name\":\"X\",\"tier\":\"gold\"}");
    ApiClient.Response noName = client.post("/api/keys/generate", "{\"tier\":\"pro\"}");
    ApiClient.Response blankName =
        client.post("/api/keys/generate", "{\"organization_name\":\"   \"}");

    // then
    assertThat(badTier.status()).isEqualTo(400);
    assertThat(badTier.error()).isEqualTo("invalid_request");
    assertThat(badTier.json().get("field").asText()).isEqualTo("tier");
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().get("field").asText()).isEqualTo("organization_name");
    assertThat(blankName.status()).isEqualTo(400);
  }

  @Test
  void showsTheOrganizationButNeverItsKey() {
    // given
    Organization organization = server.organization("pro");

    // when
    ApiClient.Response response = client.get("/api/keys", organization.auth());

    // then
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("organization_id").asText()).isEqualTo(organization.id());
    assertThat(body.get("organization_name").asText()).isEqualTo("Acme pro");
    assertThat(body.get("tier").asText()).isEqualTo("pro");
    assertThat(body.get("rate_limit_per_minute").asInt()).isEqualTo(1_000);
    assertThat(body.has("api_key")).isFalse();
    assertThat(response.body()).doesNotContain(organization.apiKey());
  }

  @Test
  void acceptsTheKeyAsABearerToken() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response response =
        client.get("/api/keys", "Authorization", "Bearer " + organization.apiKey());

    // then
    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void refusesMissingAndUnknownKeys() {
    // when
    ApiClient.Response missing = client.get("/api/keys");
    ApiClient.Response unknown = client.get("/api/keys", "X-API-Key", "trg_unknown");
    ApiClient.Response wrongScheme = client.get("/api/keys", "Authorization", "Basic dXNlcjpwdw==");

    // then
    for (ApiClient.Response response : new ApiClient.Response[] {missing, unknown, wrongScheme}) {
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.error()).isEqualTo("unauthorized");
      assertThat(response.json().get("message").asText()).isNotBlank();
      assertThat(response.json().get("request_id").asText()).isNotBlank();
    }
  }

  @Test
  void rotationRefusesTheOldKeyAtOnceAndAcceptsTheNewOne() {
    // given
    Organization organization = server.organization();

    // when
    ApiClient.Response rotated = client.postWithoutBody("/api/keys/rotate", organization.auth());

    // then
    assertThat(rotated.status()).isEqualTo(200);
    JsonNode body = rotated.json();
    assertThat(body.get("organization_id").asText()).isEqualTo(organization.id());
    assertThat(body.get("rotated_at").asText()).isEqualTo(server.clock.instant().toString());
    String newKey = body.get("api_key").asText();
    assertThat(newKey).isNotEqualTo(organization.apiKey());
    assertThat(client.get("/api/keys", organization.auth()).status()).isEqualTo(401);
    assertThat(client.get("/api/keys", "X-API-Key", newKey).status()).isEqualTo(200);
    assertThat(
            client
                .post("/api/events", "{\"type\":\"t\",\"payload\":{}}", organization.auth())
                .status())
        .isEqualTo(401);
  }

  @Test
  void keyGenerationNeedsTheAdminTokenWhenOneIsConfigured() {
    try (TestServer guarded = TestServer.startWithAdminToken("s3cret-admin")) {
      String body = "{\"organization_name\":\"Acme\"}";

      // when
      ApiClient.Response missing = guarded.client.post("/api/keys/generate", body);
      ApiClient.Response wrong =
          guarded.client.post("/api/keys/generate", body, "X-Admin-Token", "s3cret-admix");
      ApiClient.Response right =
          guarded.client.post("/api/keys/generate", body, "X-Admin-Token", "s3cret-admin");

      // then
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.error()).isEqualTo("unauthorized");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(right.status()).isEqualTo(201);
    }
  }
}

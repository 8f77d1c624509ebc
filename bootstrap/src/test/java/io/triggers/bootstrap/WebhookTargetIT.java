package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.bootstrap.config.SettingsParser;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server with its default settings refuses webhook targets on non-public addresses, in whatever
 * form they are written, with a 400 that says why.
 */
class WebhookTargetIT {

  private static TriggersApplication application;
  private static ApiClient api;
  private static String key;

  @BeforeAll
  static void startAServerWithDefaultSettings() {
    application =
        Triggers.create(
            SettingsParser.parse(
                Map.of(
                    "TRIGGERS_HOST",
                    "127.0.0.1",
                    "TRIGGERS_PORT",
                    "0",
                    "TRIGGERS_DATABASE_URL",
                    TestDatabase.freshSchemaUrl()),
                List.of()),
            Clock.systemUTC());
    application.start();
    api = new ApiClient(application.port());
    key = api.newOrganization();
  }

  @AfterAll
  static void stop() {
    application.stop();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/",
        "http://255.255.255.255/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::1]/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://017700000001/"
      })
  void refusesANonPublicTargetWithA400ThatSaysWhy(String url) {
    // when
    ApiClient.Response response = configure(url);

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(text(response.body(), "error")).isEqualTo("invalid_webhook_url");
    assertThat(text(response.body(), "message")).startsWith("webhook_url ");
    assertThat(text(response.body(), "request_id"))
        .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void saysWhatKindOfAddressAnEmbeddingFormStandsFor() {
    // when
    ApiClient.Response response = configure("http://[64:ff9b::127.0.0.1]/");

    // then
    assertThat(text(response.body(), "message"))
        .startsWith("webhook_url resolves to an IPv6 form of a loopback address");
  }

  @Test
  void acceptsAPublicAddress() {
    // when
    ApiClient.Response response = configure("http://93.184.216.34/hook");

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  private static ApiClient.Response configure(String url) {
    return api.send(
        "POST", "/api/webhook/config", Optional.of(key), "{\"webhook_url\":\"" + url + "\"}");
  }
}

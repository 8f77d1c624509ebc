package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triggers.adapters.http.ApiClient;
import io.triggers.core.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's log as an operator reads it: a quiet start, JSON on request, and no secrets. */
class LogsIT {

  /**
   * What an operator needs before the ready line: on a first start, that the database is being set
   * up, and the warning that key generation is open. The JVM and the libraries say nothing.
   */
  private static final int MAX_LINES_BEFORE_READY = 3;

  private static final String ADMIN_TOKEN = "adm-9f8e7d6c5b4a39281706";
  private static final String REQUEST_ID = "log-test-request-1";

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path workDir;

  @Test
  void startsQuietlyOnAFreshDataDirectory() throws Exception {
    // when started as ./triggers starts it
    RunningServer server = RunningServer.start(workDir, launcherOptions(), List.of(), Map.of());
    List<String> beforeReady;
    try {
      beforeReady = linesBeforeReady(server.output());
    } finally {
      server.stop();
    }

    // then
    assertThat(beforeReady)
        .as("lines before the ready line")
        .hasSizeLessThanOrEqualTo(MAX_LINES_BEFORE_READY);
    assertThat(beforeReady)
        .noneMatch(line -> line.contains("Unsafe") || line.contains("WARNING: "))
        .noneMatch(line -> line.contains("Hikari") || line.contains("Flyway"));
  }

  @Test
  void writesOneJsonObjectPerLineWithTheRequestsIdsAndNeverAKeyTokenOrPayload() throws Exception {
    // given a server logging JSON with an access log, and a webhook that refuses connections
    RunningServer server =
        RunningServer.start(
            workDir,
            launcherOptions(),
            List.of(),
            Map.of(
                "TRIGGERS_LOG_FORMAT", "json",
                "TRIGGERS_ACCESS_LOG", "true",
                "TRIGGERS_ADMIN_TOKEN", ADMIN_TOKEN,
                "TRIGGERS_WEBHOOK_ALLOW_PRIVATE", "true"));
    String apiKey;
    String organization;
    String payloadMarker = "payload-marker-5a4b3c2d1e";
    try {
      ApiClient client = new ApiClient(server.port());
      ApiClient.Response created =
          client.post(
              "/api/keys/generate",
              "{\"organization_name\":\"Logs\",\"tier\":\"pro\"}",
              "X-Admin-Token",
              ADMIN_TOKEN);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      apiKey = ApiClient.text(created.body(), "api_key");
      organization = ApiClient.text(created.body(), "organization_id");
      int closedPort = FreePorts.belowEphemeralRange();
      client.configureWebhook(
          apiKey, URI.create("http://127.0.0.1:" + closedPort + "/hook/T0K3N?secret=hunter2"));

      // when: an event whose body carries the key, sent with a request id of ours
      ApiClient.Response accepted =
          client.post(
              "/api/events",
              "{\"type\":\"order.created\",\"payload\":{\"note\":\""
                  + payloadMarker
                  + "\",\"key\":\""
                  + apiKey
                  + "\"}}",
              "X-API-Key",
              apiKey,
              "X-Request-Id",
              REQUEST_ID);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      client.get("/no/such/path?api_key=" + apiKey, "Authorization", "Bearer " + apiKey);
      Eventually.await(
          Duration.ofSeconds(30),
          () -> server.output().stream().anyMatch(line -> line.contains("Webhook deliveries")));
    } finally {
      server.stop();
    }

    // then every line is a JSON object
    List<JsonNode> lines = server.output().stream().map(LogsIT::strictJson).toList();
    assertThat(lines).allSatisfy(line -> assertThat(line.isObject()).isTrue());
    assertThat(lines)
        .allSatisfy(
            line -> assertThat(line.fieldNames()).toIterable().contains("timestamp", "level"));

    // and the access line of the event carries its request id and its organization
    JsonNode access = only(lines, line -> message(line).contains("path=/api/events "));
    assertThat(access.path("loggerName").asText()).isEqualTo("io.triggers.access");
    assertThat(access.path("mdc").path("request_id").asText()).isEqualTo(REQUEST_ID);
    assertThat(access.path("mdc").path("org_id").asText()).isEqualTo(organization);
    assertThat(message(access)).contains("method=POST", "status=202", "request_id=" + REQUEST_ID);

    // and a path that matches no route is logged without its query
    JsonNode unmatched = only(lines, line -> message(line).contains("path=/no/such/path"));
    assertThat(message(unmatched)).contains("status=404").doesNotContain("?");

    // and the failing webhook was warned about by organization and origin alone
    JsonNode warning = only(lines, line -> message(line).contains("Webhook deliveries"));
    assertThat(warning.path("level").asText()).isEqualTo("WARN");
    assertThat(message(warning)).contains(organization, "http://127.0.0.1:");

    // and no line holds the key, the admin token, the payload or the webhook's token
    assertThat(server.output())
        .noneMatch(line -> line.contains(apiKey))
        .noneMatch(line -> line.contains(ADMIN_TOKEN))
        .noneMatch(line -> line.contains(payloadMarker))
        .noneMatch(line -> line.contains("T0K3N") || line.contains("hunter2"));
  }

  @Test
  void refusesABadLogLevelOrFormatWithExitStatusTwo() throws Exception {
    assertThat(refusal(List.of("--log-level", "loud"), Map.of()))
        .contains("--log-level must be one of trace, debug, info, warn, error or off");
    assertThat(refusal(List.of(), Map.of("TRIGGERS_LOG_FORMAT", "xml")))
        .contains("--log-format must be text or json");
    assertThat(refusal(List.of("--access-log", "sometimes"), Map.of()))
        .contains("--access-log must be true or false");
  }

  private String refusal(List<String> flags, Map<String, String> environment) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(RunningServer.JAVA.toString(), "-jar", RunningServer.JAR.toString()));
    command.addAll(flags);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process bad = builder.start();
    String message = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).as(message).isEqualTo(2);
    return message;
  }

  /** The JVM options {@code ./triggers} adds on this JDK. */
  private static List<String> launcherOptions() {
    return Runtime.version().feature() >= 23
        ? List.of("--sun-misc-unsafe-memory-access=allow")
        : List.of();
  }

  private static List<String> linesBeforeReady(List<String> output) {
    for (int i = 0; i < output.size(); i++) {
      if (output.get(i).contains("ready on port")) {
        return List.copyOf(output.subList(0, i));
      }
    }
    throw new AssertionError("no ready line in " + output);
  }

  /** The line as JSON, failing on anything but exactly one JSON value. */
  private static JsonNode strictJson(String line) {
    try {
      return STRICT.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not one JSON value: " + line, e);
    }
  }

  private static String message(JsonNode line) {
    return line.path("formattedMessage").asText();
  }

  private static JsonNode only(List<JsonNode> lines, Predicate<JsonNode> matching) {
    List<JsonNode> found = lines.stream().filter(matching).toList();
    assertThat(found).as("matching lines").isNotEmpty();
    return found.getFirst();
  }
}

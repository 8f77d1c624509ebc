package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.TestServer.Organization;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BadInputIT {

  private static TestServer server;
  private static ApiClient client;
  private static Organization organization;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    client = server.client;
    organization = server.organization();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void refusesMalformedJsonWithoutAServerError() {
    for (String body :
        new String[] {
          "{",
          "{\"type\":\"t\",\"payload\":{\"a\":",
          "{\"type\":\"t\" \"payload\":{}}",
          "not json",
          "",
          "{\"type\":\"t\",\"payload\":{}} trailing",
          "{\"type\":\"t\",\"payload\":{}}{}",
          "{'type':'t'}",
          "{\"type\":\"t\",\"payload\":{\"n\":NaN}}"
        }) {
      // when
      ApiClient.Response response = client.post("/api/events", body, organization.auth());

      // then
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.error()).as(body).isEqualTo("invalid_json");
      assertThat(response.json().get("request_id").asText()).isNotBlank();
      assertThat(response.body()).doesNotContain("at com.").doesNotContain("Exception");
    }
  }

  @Test
  void refusesBodiesThatAreNotJsonObjects() {
    for (String body :
        new String[] {
          "[]", "[{\"type\":\"t\",\"payload\":{}}]", "\"text\"", "42", "null", "true"
        }) {
      // when
      ApiClient.Response response = client.post("/api/events", body, organization.auth());

      // then
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.error()).as(body).isEqualTo("invalid_request");
    }
  }

  @Test
  void refusesInvalidUtf8() {
    // given
    byte[] prefix = "{\"type\":\"t\",\"payload\":{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = "\"}}".getBytes(StandardCharsets.US_ASCII);
    for (byte[] bad :
        new byte[][] {
          {(byte) 0xff},
          {(byte) 0xc3},
          {(byte) 0xc0, (byte) 0xaf},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
        }) {
      byte[] body = new byte[prefix.length + bad.length + suffix.length];
      System.arraycopy(prefix, 0, body, 0, prefix.length);
      System.arraycopy(bad, 0, body, prefix.length, bad.length);
      System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);

      // when
      ApiClient.Response response =
          client.send(
              client
                  .request("/api/events", organization.auth())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

      // then
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.error()).isEqualTo("invalid_json");
    }
  }

  @Test
  void acceptsNestingOfSixtyFourLevelsAndRefusesSixtyFive() {
    // given: the event object is level 1 and its payload level 2
    String allowed = "{\"type\":\"t\",\"payload\":" + nested(63) + "}";
    String tooDeep = "{\"type\":\"t\",\"payload\":" + nested(64) + "}";
    String deepArrays = "[".repeat(5_000) + "]".repeat(5_000);

    // when
    ApiClient.Response ok = client.post("/api/events", allowed, organization.auth());
    ApiClient.Response refused = client.post("/api/events", tooDeep, organization.auth());
    ApiClient.Response arrays = client.post("/api/events", deepArrays, organization.auth());

    // then
    assertThat(ok.status()).isEqualTo(202);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.error()).isEqualTo("invalid_json");
    assertThat(refused.json().get("message").asText()).contains("64");
    assertThat(arrays.status()).isEqualTo(400);
  }

  private static String nested(int levels) {
    return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
  }

  @Test
  void refusesBodiesThatAreNotDeclaredAsJson() {
    String event = "{\"type\":\"t\",\"payload\":{}}";
    for (String contentType :
        new String[] {
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=iso-8859-1",
          "application/jsonp"
        }) {
      // when
      ApiClient.Response response =
          client.send(
              client
                  .request("/api/events", organization.auth())
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofString(event)));

      // then
      assertThat(response.status()).as(contentType).isEqualTo(415);
      assertThat(response.error()).isEqualTo("unsupported_media_type");
    }
    ApiClient.Response none =
        client.send(
            client
                .request("/api/events", organization.auth())
                .POST(HttpRequest.BodyPublishers.ofString(event)));
    assertThat(none.status()).isEqualTo(415);
  }

  @Test
  void acceptsJsonWithAUtf8CharsetInAnySpelling() {
    for (String contentType :
        new String[] {
          "application/json; charset=utf-8",
          "Application/JSON;charset=\"UTF-8\"",
          "application/json"
        }) {
      // when
      ApiClient.Response response =
          client.send(
              client
                  .request("/api/events", organization.auth())
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"t\",\"payload\":{}}")));

      // then
      assertThat(response.status()).as(contentType).isEqualTo(202);
    }
  }

  @Test
  void refusesADeclaredBodyOverTheLimit() {
    // given
    String padding = "x".repeat((int) TestServer.MAX_BODY_BYTES);
    String body = "{\"type\":\"t\",\"payload\":{\"pad\":\"" + padding + "\"}}";

    // when
    ApiClient.Response response = client.post("/api/events", body, organization.auth());

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(413);
    assertThat(response.error()).isEqualTo("payload_too_large");
  }

  @Test
  void acceptsABodyJustUnderTheLimit() {
    // given
    String head = "{\"type\":\"t\",\"payload\":{\"pad\":\"";
    String tail = "\"}}";
    String padding = "x".repeat((int) TestServer.MAX_BODY_BYTES - head.length() - tail.length());

    // when
    ApiClient.Response response =
        client.post("/api/events", head + padding + tail, organization.auth());

    // then
    assertThat(response.status()).isEqualTo(202);
  }

  @Test
  void refusesAHugeDeclaredLengthBeforeReadingTheBody() throws Exception {
    // given: a request that claims a petabyte of body; reading it would never end
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(20_000);
      String head =
          "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
              + organization.apiKey()
              + "\r\nContent-Type: application/json\r\nContent-Length: 1000000000000000\r\n\r\n{";

      // when
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();

      // then
      assertThat(statusLine).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void refusesAStreamedTenMegabyteBodyWhileReadingIt() {
    // given: a chunked body of unknown length, produced as it is sent
    long tenMegabytes = 10L * 1024 * 1024;
    HttpRequest.Builder request =
        client
            .request("/api/events", organization.auth())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new EndlessJson(tenMegabytes)));

    // when
    ApiClient.Response response = client.send(request);

    // then
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.error()).isEqualTo("payload_too_large");
    assertThat(client.get("/health").status()).isEqualTo(200);
  }

  @Test
  void survivesHugeHeadersWithAClientError() {
    // given
    String tenThousand = "h".repeat(10_000);

    // when
    ApiClient.Response longKey = client.get("/api/keys", "X-API-Key", tenThousand);
    ApiClient.Response longRequestId = client.get("/health", "X-Request-Id", tenThousand);

    ApiClient.Response tooLarge = client.get("/health", "X-Big", "b".repeat(64 * 1024));

    // then
    assertThat(tooLarge.status()).isIn(400, 431);
    assertThat(longKey.status()).isEqualTo(401);
    assertThat(longRequestId.status()).isEqualTo(200);
    assertThat(longRequestId.header("X-Request-Id")).hasSize(32);
  }

  @Test
  void answersUnknownPathsWithNotFoundAndWrongMethodsWithTheAllowedOnes() {
    // when
    ApiClient.Response unknown = client.get("/api/nothing-here", organization.auth());
    ApiClient.Response trailingSlash = client.get("/api/inbox/", organization.auth());
    ApiClient.Response wrongMethod = client.delete("/api/inbox", organization.auth());
    ApiClient.Response twoAllowed =
        client.postWithoutBody(
            "/api/events/01900000-0000-7000-8000-000000000000", organization.auth());

    // then
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("not_found");
    assertThat(trailingSlash.status()).isEqualTo(404);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.error()).isEqualTo("method_not_allowed");
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
    assertThat(twoAllowed.status()).isEqualTo(405);
    assertThat(twoAllowed.header("Allow")).isEqualTo("DELETE, GET");
  }

  @Test
  void echoesASaneRequestIdAndReplacesAnyOther() {
    // when
    ApiClient.Response echoed = client.get("/health", "X-Request-Id", "abc-123_X.y");
    ApiClient.Response replaced = client.get("/health", "X-Request-Id", "bad id<script>");
    ApiClient.Response generated = client.get("/api/nothing");
    ApiClient.Response onError = client.get("/api/keys", "X-Request-Id", "trace-42");

    // then
    assertThat(echoed.header("X-Request-Id")).isEqualTo("abc-123_X.y");
    assertThat(replaced.header("X-Request-Id")).matches("[0-9a-f]{32}");
    assertThat(generated.header("X-Request-Id")).matches("[0-9a-f]{32}");
    assertThat(generated.json().get("request_id").asText())
        .isEqualTo(generated.header("X-Request-Id"));
    assertThat(onError.header("X-Request-Id")).isEqualTo("trace-42");
    assertThat(onError.json().get("request_id").asText()).isEqualTo("trace-42");
  }

  /** A JSON event whose payload string never ends before {@code size} bytes; made as it is read. */
  private static final class EndlessJson extends InputStream {

    private static final byte[] HEAD =
        "{\"type\":\"t\",\"payload\":{\"a\":\"".getBytes(StandardCharsets.US_ASCII);

    private final long size;
    private long position;

    EndlessJson(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (position >= size) {
        return -1;
      }
      int b = position < HEAD.length ? HEAD[(int) position] : 'a';
      position++;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(length, size - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) read();
      }
      return n;
    }
  }
}

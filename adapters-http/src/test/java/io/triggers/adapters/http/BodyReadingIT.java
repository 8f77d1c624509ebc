package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triggers.adapters.http.TestServer.Organization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The way into a request body: the API key before the body, the memory all bodies share, the read
 * timeout, and framing the server will not guess at.
 */
class BodyReadingIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  /** Room for one body of the largest size, so that a single stalled upload can spend it all. */
  private static final long BUDGET = TestServer.MAX_BODY_BYTES;

  private static TestServer server;
  private static Organization organization;

  @BeforeAll
  static void startServer() {
    server = TestServer.startWithBodyLimits(BUDGET, READ_TIMEOUT);
    organization = server.organization();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void everyBodyGaveItsMemoryBack() {
    Conditions.await(() -> server.server.bodyBudget().used() == 0);
  }

  @Test
  void answersAStrangerWith401BeforeItsBodyIsSent() {
    // given: a stranger announces the largest body and sends none of it
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      connection.send(
          "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: trg_not-a-key-of-anyone\r\n"
              + "Content-Type: application/json\r\nContent-Length: 262144\r\n\r\n");

      // when
      RawConnection.Response response = connection.read();

      // then: refused on its headers alone, the body never read nor any memory reserved for it
      assertError(response, 401, "unauthorized");
      assertThat(server.server.bodyBudget().used()).isZero();
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void answersARequestWithoutAKeyWith401BeforeItsChunkedBodyIsSent() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when
      connection.send(
          "POST /api/inbox/ack HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n");
      RawConnection.Response response = connection.read();

      // then
      assertError(response, 401, "unauthorized");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void asksForTheBodyWithA100ContinueOnlyOnceTheKeyIsChecked() {
    String event = "{\"type\":\"t\",\"payload\":{}}";
    String head =
        "POST /api/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Expect: 100-continue\r\nContent-Length: "
            + event.length()
            + "\r\n";
    try (RawConnection stranger = RawConnection.open(server.server.port());
        RawConnection known = RawConnection.open(server.server.port())) {
      // when
      RawConnection.Response refused = stranger.send(head + "\r\n").read();
      RawConnection.Response goOn =
          known.send(head + "X-API-Key: " + organization.apiKey() + "\r\n\r\n").read();
      RawConnection.Response accepted = known.send(event).read();

      // then
      assertError(refused, 401, "unauthorized");
      assertThat(goOn.status()).isEqualTo(100);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }
  }

  @Test
  void cutsOffABodyThatStallsWith408AndClosesTheConnection() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // given: 8 of the 100 bytes announced, then nothing
      connection.send(ingestHead("Content-Length: 100") + "{\"type\":");

      // when
      RawConnection.Response response = connection.read();

      // then
      assertError(response, 408, "request_timeout");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void cutsOffAChunkedBodyThatStallsWith408() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // given: one chunk, then neither another nor the last
      connection.send(ingestHead("Transfer-Encoding: chunked") + "8\r\n{\"type\":\r\n");

      // when
      RawConnection.Response response = connection.read();

      // then
      assertError(response, 408, "request_timeout");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void refusesABodyWith503WhileOthersHoldAllTheBodyMemoryAndTakesItAgainOnceTheyAreGone() {
    try (RawConnection hog = RawConnection.open(server.server.port());
        RawConnection late = RawConnection.open(server.server.port())) {
      // given: an upload that has taken the whole budget and stalls
      hog.send(ingestHead("Content-Length: 262144") + "x".repeat(200_000));
      Conditions.await(() -> server.server.bodyBudget().used() == BUDGET);

      // when
      String event = "{\"type\":\"t\",\"payload\":{}}";
      RawConnection.Response refused =
          late.send(ingestHead("Content-Length: " + event.length()) + event).read();

      // then
      assertError(refused, 503, "unavailable");
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(hog.read().status()).isEqualTo(408);
      Conditions.await(() -> server.server.bodyBudget().used() == 0);
      assertThat(server.client.post("/api/events", event, organization.auth()).status())
          .isEqualTo(202);
    }
  }

  @Test
  void refusesFramingItCannotTrustWith400AndClosesTheConnection() {
    String[] framings = {
      "Transfer-Encoding: xchunked",
      "Transfer-Encoding: chunked, identity",
      "Transfer-Encoding: identity",
      "Transfer-Encoding: gzip, chunked",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: chunked\r\nContent-Length: 5",
    };
    for (String framing : framings) {
      try (RawConnection connection = RawConnection.open(server.server.port())) {
        // when
        RawConnection.Response response =
            connection.send(ingestHead(framing) + "5\r\n{\"a\":\r\n").read();

        // then
        assertThat(response.status()).as(framing).isEqualTo(400);
        assertThat(connection.closedByServer()).as(framing).isTrue();
      }
    }
  }

  @Test
  void refusesAChunkSizeThatIsNotHexWith400InTheErrorFormatAndClosesTheConnection() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when: read as a last chunk of size 0, which leaves the JSON cut short
      RawConnection.Response response =
          connection
              .send(ingestHead("Transfer-Encoding: chunked") + "5\r\n{\"a\":\r\nXX0\r\n\r\n")
              .read();

      // then
      assertError(response, 400, "invalid_json");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void closesTheConnectionOnAChunkSizeBeyondAnyBody() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when: the chunk decoder gives up and closes the connection before any answer is possible
      connection.send(
          ingestHead("Transfer-Encoding: chunked")
              + "fffffffffffffffffff\r\n{\"a\":1}\r\n0\r\n\r\n");

      // then
      assertThat(connection.closedByServer()).isTrue();
      assertThat(server.client.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  void readsABodyThatArrivesInPiecesAndGivesItsMemoryBack() throws InterruptedException {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // given
      String padding = "p".repeat(100_000);
      String event = "{\"type\":\"t\",\"payload\":{\"pad\":\"" + padding + "\"}}";
      connection.send(ingestHead("Content-Length: " + event.length()));

      // when
      for (int at = 0; at < event.length(); at += 30_000) {
        connection.send(event.substring(at, Math.min(event.length(), at + 30_000)));
        Thread.sleep(50);
      }
      RawConnection.Response response = connection.read();

      // then
      assertThat(response.status()).as(response.body()).isEqualTo(202);
      Conditions.await(() -> server.server.bodyBudget().used() == 0);
    }
  }

  @Test
  void keepsTheConnectionOpenForTheNextRequestOnceABodyIsReadInFull() {
    String event = "{\"type\":\"t\",\"payload\":{}}";
    String ingest = ingestHead("Content-Length: " + event.length()) + event;
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when
      RawConnection.Response first = connection.send(ingest).read();
      RawConnection.Response second = connection.send(ingest).read();

      // then
      assertThat(first.status()).isEqualTo(202);
      assertThat(first.header("Connection")).isNotEqualTo("close");
      assertThat(second.status()).isEqualTo(202);
    }
  }

  @Test
  void refusesAControlCharacterInAHeaderWith400AndClosesTheConnection() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when
      RawConnection.Response response =
          connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\0b\r\n\r\n").read();

      // then
      assertError(response, 400, "invalid_request");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  private static String ingestHead(String framing) {
    return "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
        + organization.apiKey()
        + "\r\nContent-Type: application/json\r\n"
        + framing
        + "\r\n\r\n";
  }

  private static void assertError(RawConnection.Response response, int status, String error) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    JsonNode body = json(response.body());
    assertThat(body.path("error").asText()).isEqualTo(error);
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(body.path("request_id").asText())
        .isNotBlank()
        .isEqualTo(response.header("X-Request-Id"));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}

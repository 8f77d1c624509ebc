package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.TestServer.Organization;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 on a connection whose request waits for its commit while the connection's reads stay
 * armed: what the client sends meanwhile, or its leaving, is handled as Undertow handles it for any
 * request in progress. Every ingest here waits, since the test store commits on a thread of its
 * own; {@link SwitchableEventStore#completeTogether} holds a commit until another request comes.
 */
class ConnectionReadsIT {

  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PAUSE = Duration.ofMillis(300);

  private static TestServer server;
  private static Organization organization;

  @BeforeAll
  static void startServer() {
    server =
        TestServer.startWithBodyLimits(
            HttpSettings.DEFAULT_MAX_BODY_MEMORY_BYTES, BODY_READ_TIMEOUT);
    organization = server.organization();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void everyBodyGaveItsMemoryBack() {
    server.store.completeTogether(0);
    Conditions.await(() -> server.server.bodyBudget().used() == 0);
  }

  @Test
  void answersRequestsPipelinedInOneWriteInTheirOrder() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when
      connection.send(
          ingest("pipelined-1", "")
              + "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: pipelined-2\r\n\r\n"
              + ingest("pipelined-3", ""));

      // then
      assertAnswer(connection.read(), 202, "pipelined-1");
      assertAnswer(connection.read(), 200, "pipelined-2");
      assertAnswer(connection.read(), 202, "pipelined-3");
    }
  }

  @Test
  void answersARequestSentWhileTheOneBeforeItWaitsForItsCommitAfterIt() {
    try (RawConnection waiting = RawConnection.open(server.server.port());
        RawConnection other = RawConnection.open(server.server.port())) {
      // given: the first request's commit is held until a second append comes
      server.store.completeTogether(2);
      waiting.send(ingest("first", "\"dedup_id\":\"first\","));
      pause();

      // when: the next request on its connection arrives before the first is answered
      waiting.send(ingest("second", "\"dedup_id\":\"second\","));
      pause();
      other.send(ingest("releasing", ""));

      // then: both are answered, in their order, and both are stored
      assertAnswer(waiting.read(), 202, "first");
      assertAnswer(waiting.read(), 202, "second");
      assertAnswer(other.read(), 202, "releasing");
      assertAnswer(
          waiting.send(ingest("first-again", "\"dedup_id\":\"first\",")).read(), 409, null);
      assertAnswer(
          waiting.send(ingest("second-again", "\"dedup_id\":\"second\",")).read(), 409, null);
    }
  }

  @Test
  void storesTheEventOfAClientThatLeftWhileItWaitedAndGivesItsMemoryBack() {
    try (RawConnection other = RawConnection.open(server.server.port())) {
      // given
      server.store.completeTogether(2);
      try (RawConnection leaving = RawConnection.open(server.server.port())) {
        leaving.send(ingest("left", "\"dedup_id\":\"left\","));
        pause();
      }
      pause();

      // when
      other.send(ingest("releasing-left", ""));

      // then: the request that lost its client was committed all the same
      assertAnswer(other.read(), 202, "releasing-left");
      assertAnswer(other.send(ingest("left-again", "\"dedup_id\":\"left\",")).read(), 409, null);
      Conditions.await(() -> server.server.bodyBudget().used() == 0);
    }
  }

  @Test
  void answersAClientThatStoppedSendingWhileItWaitedThenClosesTheConnection() {
    try (RawConnection halfClosed = RawConnection.open(server.server.port());
        RawConnection other = RawConnection.open(server.server.port())) {
      // given
      server.store.completeTogether(2);
      halfClosed.send(ingest("half-closed", ""));
      pause();

      // when
      halfClosed.finishSending();
      pause();
      other.send(ingest("releasing-half-closed", ""));

      // then
      assertAnswer(halfClosed.read(), 202, "half-closed");
      assertThat(halfClosed.closedByServer()).isTrue();
      assertAnswer(other.read(), 202, "releasing-half-closed");
    }
  }

  @Test
  void closesTheConnectionAfterTheReplyToAWaitingRequestThatAskedForIt() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when
      RawConnection.Response response =
          connection.send(ingest("closing", "", "Connection: close\r\n")).read();

      // then
      assertAnswer(response, 202, "closing");
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void keepsTheConnectionAliveFromOneWaitingRequestToTheNextAndStillAppliesTheBodyLimit() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // when
      for (int i = 0; i < 5; i++) {
        assertAnswer(connection.send(ingest("alive-" + i, "")).read(), 202, "alive-" + i);
      }
      RawConnection.Response tooLarge =
          connection
              .send(
                  head("too-large", "Content-Length: " + (TestServer.MAX_BODY_BYTES + 1) + "\r\n"))
              .read();

      // then
      assertAnswer(tooLarge, 413, "too-large");
    }
  }

  @Test
  void cutsOffABodyThatStallsAfterAWaitingRequestOnTheSameConnection() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // given
      assertAnswer(connection.send(ingest("before-stall", "")).read(), 202, "before-stall");

      // when: 8 of the 100 bytes announced, then nothing
      connection.send(head("stalled", "Content-Length: 100\r\n") + "{\"type\":");

      // then
      assertAnswer(connection.read(), 408, "stalled");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void closesAConnectionWhoseNextRequestStallsInItsHeadersAfterAWaitingRequest() {
    try (RawConnection connection = RawConnection.open(server.server.port())) {
      // given
      assertAnswer(connection.send(ingest("before-slow", "")).read(), 202, "before-slow");

      // when: half a request line, then nothing
      connection.send("POST /api/ev");

      // then: the header read timeout cuts it off
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  private static String ingest(String requestId, String dedup) {
    return ingest(requestId, dedup, "");
  }

  private static String ingest(String requestId, String dedup, String moreHeaders) {
    String event = "{" + dedup + "\"type\":\"t\",\"payload\":{\"request\":\"" + requestId + "\"}}";
    return head(requestId, moreHeaders + "Content-Length: " + event.length() + "\r\n") + event;
  }

  private static String head(String requestId, String moreHeaders) {
    return "POST /api/events HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
        + organization.apiKey()
        + "\r\nContent-Type: application/json\r\nX-Request-Id: "
        + requestId
        + "\r\n"
        + moreHeaders
        + "\r\n";
  }

  /** The status, and the request id when one is given: which request this answer is to. */
  private static void assertAnswer(RawConnection.Response response, int status, String requestId) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    if (requestId != null) {
      assertThat(response.header("X-Request-Id")).as(response.toString()).isEqualTo(requestId);
    }
  }

  /** Time for the server's IO thread to see what was just sent, or that the client went away. */
  private static void pause() {
    try {
      Thread.sleep(PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

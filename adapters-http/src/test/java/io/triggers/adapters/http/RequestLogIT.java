package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.triggers.adapters.http.TestServer.Organization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The request ids in the log's context while a request is handled, and the access log. */
class RequestLogIT {

  private final ListAppender<ILoggingEvent> access = new Capturing();
  private final java.util.logging.Logger errorLogger =
      java.util.logging.Logger.getLogger(ErrorResponses.class.getName());
  private final List<Map<String, String>> errorContexts = new CopyOnWriteArrayList<>();
  private final Handler errors =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          // On the thread that logs, so the MDC is that of the request being handled.
          Map<String, String> context = MDC.getCopyOfContextMap();
          errorContexts.add(context == null ? Map.of() : context);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final Logger accessLogger = (Logger) LoggerFactory.getLogger(RequestLog.ACCESS_LOGGER);

  @BeforeEach
  void capture() {
    accessLogger.setLevel(Level.INFO);
    access.start();
    accessLogger.addAppender(access);
    errorLogger.addHandler(errors);
  }

  @AfterEach
  void release() {
    accessLogger.detachAppender(access);
    accessLogger.setLevel(null);
    errorLogger.removeHandler(errors);
  }

  @Test
  void logsOneAccessLinePerRequestWithItsIdsAndNeitherKeyNorBody() {
    try (TestServer server = TestServer.startWithAccessLog()) {
      // given
      Organization organization = server.organization();

      // when
      ApiClient.Response accepted =
          server.client.post(
              "/api/events",
              "{\"type\":\"t\",\"payload\":{\"leak\":\"" + organization.apiKey() + "\"}}",
              "X-API-Key",
              organization.apiKey(),
              "X-Request-Id",
              "access-1");

      // then
      assertThat(accepted.status()).isEqualTo(202);
      ILoggingEvent line = awaitLine(access, event -> has(event, "path=/api/events "));
      assertThat(line.getFormattedMessage())
          .startsWith("method=POST path=/api/events status=202 bytes=")
          .contains("duration_ms=", "request_id=access-1", "org_id=" + organization.id());
      assertThat(line.getMDCPropertyMap())
          .containsEntry(RequestLog.REQUEST_ID, "access-1")
          .containsEntry(RequestLog.ORGANIZATION_ID, organization.id());
      assertThat(lines(access))
          .noneMatch(event -> has(event, organization.apiKey()))
          .noneMatch(event -> event.getMDCPropertyMap().containsValue(organization.apiKey()));
    }
  }

  @Test
  void logsAPathThatMatchesNoRouteWithoutItsQueryOnOneLine() {
    try (TestServer server = TestServer.startWithAccessLog()) {
      // when
      ApiClient.Response missing = server.client.get("/nothing/here%0Aforged?api_key=trg_secret");

      // then
      assertThat(missing.status()).isEqualTo(404);
      ILoggingEvent line = awaitLine(access, event -> has(event, "status=404"));
      assertThat(line.getFormattedMessage())
          .contains("method=GET path=/nothing/here", "org_id=-")
          .doesNotContain("\n", "trg_secret", "api_key");
    }
  }

  @Test
  void writesNoAccessLineUnlessAskedTo() {
    // given
    try (TestServer quiet = TestServer.start()) {
      quiet.organization();
      quiet.client.get("/health");
    }

    // when a server with an access log answers a request after them
    try (TestServer logging = TestServer.startWithAccessLog()) {
      logging.client.get("/health");
      awaitLine(access, event -> has(event, "path=/health "));
    }

    // then that request's line is the only one
    assertThat(lines(access)).singleElement().matches(event -> has(event, "path=/health "));
  }

  @Test
  void carriesTheRequestAndOrganizationIdsInLinesLoggedWhileHandling() {
    try (TestServer server = TestServer.start()) {
      // given
      Organization organization = server.organization();
      server.store.failWith(() -> new IllegalStateException("broken on purpose"));

      // when
      ApiClient.Response failed =
          server.client.delete(
              "/api/events/01a24a25-090f-7000-8903-a374beff2ceb",
              "X-API-Key",
              organization.apiKey(),
              "X-Request-Id",
              "mdc-1");

      // then
      assertThat(failed.status()).isEqualTo(500);
      assertThat(errorContexts)
          .anySatisfy(
              context ->
                  assertThat(context)
                      .containsEntry(RequestLog.REQUEST_ID, "mdc-1")
                      .containsEntry(RequestLog.ORGANIZATION_ID, organization.id()));
    }
  }

  @Test
  void carriesTheIdsInLinesLoggedWhenAnIngestFailsAfterTheIoThreadStartedIt() {
    try (TestServer server = TestServer.start()) {
      // given: a key known without a lookup, so that the IO thread reads the body and starts it
      Organization organization = server.organization();
      server.store.failWith(() -> new IllegalStateException("broken on purpose"));

      // when
      ApiClient.Response failed =
          server.client.post(
              "/api/events",
              "{\"type\":\"t\",\"payload\":{}}",
              "X-API-Key",
              organization.apiKey(),
              "X-Request-Id",
              "mdc-ingest-1");

      // then
      assertThat(failed.status()).isEqualTo(500);
      assertThat(errorContexts)
          .anySatisfy(
              context ->
                  assertThat(context)
                      .containsEntry(RequestLog.REQUEST_ID, "mdc-ingest-1")
                      .containsEntry(RequestLog.ORGANIZATION_ID, organization.id()));
    }
  }

  @Test
  void carriesTheIdsInLinesLoggedForABodyThatArrivedAfterItsHeaders() {
    try (TestServer server = TestServer.start();
        RawConnection connection = RawConnection.open(server.server.port())) {
      // given
      Organization organization = server.organization();
      server.store.failWith(() -> new IllegalStateException("broken on purpose"));
      String body = "{\"event_ids\":[\"01a24a25-090f-7000-8903-a374beff2ceb\"]}";
      connection.send(
          "POST /api/inbox/ack HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
              + organization.apiKey()
              + "\r\nX-Request-Id: mdc-late-body\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.length()
              + "\r\n\r\n");
      pause();

      // when: the body comes once the server has waited for it
      RawConnection.Response failed = connection.send(body).read();

      // then
      assertThat(failed.status()).isEqualTo(500);
      assertThat(errorContexts)
          .anySatisfy(
              context ->
                  assertThat(context)
                      .containsEntry(RequestLog.REQUEST_ID, "mdc-late-body")
                      .containsEntry(RequestLog.ORGANIZATION_ID, organization.id()));
    }
  }

  @Test
  void keepsAnUnmatchedPathPrintableAndShort() {
    assertThat(RequestLog.printable("/a b\"c\u2028d\te")).isEqualTo("/a?b?c?d?e");
    assertThat(RequestLog.printable("/" + "x".repeat(500))).hasSize(203).endsWith("...");
    assertThat(RequestLog.printable("")).isEqualTo("/");
  }

  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What the appender holds now; it appends under its own lock, from the IO threads. */
  private static List<ILoggingEvent> lines(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  private static boolean has(ILoggingEvent event, String text) {
    return event.getFormattedMessage().contains(text);
  }

  /**
   * Lines are written once the exchange ends, which may be just after the client has its answer.
   */
  private static ILoggingEvent awaitLine(
      ListAppender<ILoggingEvent> appender, Predicate<ILoggingEvent> matching) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() - deadline < 0) {
      List<ILoggingEvent> found = lines(appender).stream().filter(matching).toList();
      if (!found.isEmpty()) {
        return found.getFirst();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no matching line among " + lines(appender));
  }

  /** Keeps each line with the MDC of the thread that logged it, which is read lazily otherwise. */
  private static final class Capturing extends ListAppender<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  }
}

package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.StorageUnavailableException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the mapping of exceptions writes to the log (the platform logger, here the JDK's). */
class ErrorResponsesTest {

  private final Logger logger = Logger.getLogger(ErrorResponses.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Each test its own route, since the logs of a route outlive a test. */
  private final String route = "POST /api/test-" + UUID.randomUUID();

  @BeforeEach
  void listen() {
    logger.addHandler(recorder);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(recorder);
  }

  @Test
  void logsAFloodOfUnexpectedFailuresOnceWithItsStackTrace() {
    // when
    for (int i = 0; i < 500; i++) {
      Reply reply =
          ErrorResponses.forException(new IllegalStateException("bug " + i), "req-" + i, route);
      assertThat(reply.status()).isEqualTo(500);
    }

    // then
    assertThat(records).hasSize(1);
    assertThat(records.getFirst().getMessage())
        .isEqualTo(
            "Requests to "
                + route
                + " failed: request req-0: java.lang.IllegalStateException: bug 0");
    assertThat(records.getFirst().getThrown()).hasMessage("bug 0");
  }

  @Test
  void logsAFloodOfStorageFailuresWithoutAStackTrace() {
    // when
    for (int i = 0; i < 500; i++) {
      ErrorResponses.forException(
          new StorageUnavailableException("connection refused", new RuntimeException()),
          "req-" + i,
          route);
    }

    // then
    assertThat(records).hasSizeLessThanOrEqualTo(1);
    assertThat(records).allSatisfy(record -> assertThat(record.getThrown()).isNull());
  }

  @Test
  void logsNothingForAClientsMistake() {
    // when
    Reply reply =
        ErrorResponses.forException(
            new InvalidValueException("payload", "secret payload text"), "req-1", route);

    // then
    assertThat(reply.status()).isEqualTo(400);
    assertThat(records).isEmpty();
  }
}

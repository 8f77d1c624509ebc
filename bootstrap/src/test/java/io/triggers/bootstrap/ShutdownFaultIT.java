package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM under load: requests in flight are answered, and nothing answered 202 is lost. */
class ShutdownFaultIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path workDir;

  @Test
  void answersRequestsInFlightAndKeepsEveryAcceptedEventThroughASigterm() throws Exception {
    // given a server under load from concurrent clients
    RunningServer first = RunningServer.start(workDir);
    ApiClient api = new ApiClient(first.port());
    String apiKey = api.newApiKey("enterprise");
    IngestLoad load = IngestLoad.start(api, apiKey, 16);
    long signalledAt;
    long stoppedAt;
    try {
      load.awaitAccepted(100, PATIENCE);

      // when it is sent SIGTERM
      signalledAt = System.nanoTime();
      first.process().toHandle().destroy();
      assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      stoppedAt = System.nanoTime();
      System.out.printf(
          "ShutdownFaultIT: SIGTERM to exit under load: %d ms%n",
          (stoppedAt - signalledAt) / 1_000_000);
    } finally {
      load.stop();
      first.process().destroyForcibly();
    }
    first.reader().join(Duration.ofSeconds(10));

    // then it stopped cleanly, and every request sent before the signal was answered, 202 or 503
    System.out.printf("ShutdownFaultIT: answers: %s%n", load.tally());
    assertThat(first.process().exitValue()).isEqualTo(143);
    assertThat(first.output()).anyMatch(line -> line.contains("Triggers stopped"));
    assertThat(first.output()).noneMatch(line -> line.contains("stopped unexpectedly"));
    assertThat(load.tally().keySet()).isSubsetOf("202", "409", "503", "no answer");
    List<IngestLoad.Answer> answeredLate =
        load.answers().stream()
            .filter(answer -> answer.status().isPresent() && answer.answeredAt() > stoppedAt)
            .toList();
    assertThat(answeredLate).isEmpty();
    List<IngestLoad.Answer> cutOff =
        load.answers().stream()
            .filter(answer -> answer.sentAt() < signalledAt && answer.status().isEmpty())
            .toList();
    assertThat(cutOff).as("requests in flight at the signal that got no answer").isEmpty();

    // and a server started again on the same data directory has every event answered 202
    RunningServer second = RunningServer.start(workDir);
    try {
      assertThat(second.output()).noneMatch(line -> line.contains("left behind"));
      ApiClient secondApi = new ApiClient(second.port());
      assertThat(secondApi.missingEvents(apiKey, load.accepted()))
          .as("accepted events missing after the restart")
          .isEmpty();
    } finally {
      second.stop();
    }
  }
}

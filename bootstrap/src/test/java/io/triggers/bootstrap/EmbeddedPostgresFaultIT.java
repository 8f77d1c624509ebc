package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server's own PostgreSQL killed under load: the server brings it back by itself. */
class EmbeddedPostgresFaultIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path workDir;

  @Test
  void restartsItsKilledPostgresUnderLoadAndKeepsEveryAcceptedEvent() throws Exception {
    // given a server under load
    RunningServer server = RunningServer.start(workDir);
    try {
      ApiClient api = new ApiClient(server.port());
      String apiKey = api.newApiKey("enterprise");
      IngestLoad load = IngestLoad.start(api, apiKey, 8);
      long killedAt;
      long postmaster = RunningServer.postmasterPid(workDir);
      try {
        load.awaitAccepted(50, PATIENCE);

        // when its PostgreSQL is killed without warning
        killedAt = System.nanoTime();
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

        // then ingest fails for a while, then answers 202 again, with no restart of the server
        Eventually.await(PATIENCE, () -> firstAcceptedAfterAFailure(load, killedAt).isPresent());
      } finally {
        load.stop();
      }
      long recovered = firstAcceptedAfterAFailure(load, killedAt).orElseThrow();
      System.out.printf(
          "EmbeddedPostgresFaultIT: kill -9 of the postmaster to the first 202 after it: %d ms;"
              + " answers: %s%n",
          (recovered - killedAt) / 1_000_000, load.tally());
      assertThat(server.process().isAlive()).isTrue();
      assertThat(RunningServer.postmasterPid(workDir)).isNotEqualTo(postmaster);
      assertThat(server.output()).anyMatch(line -> line.contains("stopped unexpectedly"));
      assertThat(server.output()).anyMatch(line -> line.contains("runs again"));
      assertThat(load.tally().keySet()).isSubsetOf("202", "409", "503");
      assertThat(api.get("/health").status()).isEqualTo(200);
      Eventually.await(PATIENCE, () -> api.get("/health/ready").status() == 200);
      assertThat(api.missingEvents(apiKey, load.accepted()))
          .as("accepted events missing after the restart")
          .isEmpty();
    } finally {
      server.stop();
    }
  }

  /** When the first 202 came to a request sent after some request had failed since the kill. */
  private static Optional<Long> firstAcceptedAfterAFailure(IngestLoad load, long killedAt) {
    List<IngestLoad.Answer> answers = load.answers();
    Optional<Long> firstFailure =
        answers.stream()
            .filter(answer -> answer.sentAt() > killedAt)
            .filter(answer -> answer.status().filter(status -> status == 202).isEmpty())
            .map(IngestLoad.Answer::answeredAt)
            .min(Long::compare);
    return firstFailure.flatMap(
        failed ->
            answers.stream()
                .filter(answer -> answer.sentAt() > failed)
                .filter(answer -> answer.status().filter(status -> status == 202).isPresent())
                .map(IngestLoad.Answer::answeredAt)
                .min(Long::compare));
  }
}

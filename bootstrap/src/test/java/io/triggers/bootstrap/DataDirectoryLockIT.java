package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second server pointed at a data directory in use is refused and leaves the first alone. */
class DataDirectoryLockIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static String readAll(InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TempDir Path workDir;

  @Test
  void refusesASecondServerOnTheSameDataDirectoryAndTheFirstKeepsServing() throws Exception {
    // given a server under load
    RunningServer first = RunningServer.start(workDir);
    try {
      ApiClient api = new ApiClient(first.port());
      String apiKey = api.newApiKey("enterprise");
      long postmaster = RunningServer.postmasterPid(workDir);
      IngestLoad load = IngestLoad.start(api, apiKey, 4);
      String output;
      Process second;
      try {
        load.awaitAccepted(20, PATIENCE);

        // when a second server starts on the same data directory
        second =
            new ProcessBuilder(
                    RunningServer.JAVA.toString(),
                    "-jar",
                    RunningServer.JAR.toString(),
                    "--port",
                    "0")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> printed =
            CompletableFuture.supplyAsync(() -> readAll(second.getInputStream()));
        boolean exited = second.waitFor(60, TimeUnit.SECONDS);
        second.destroyForcibly();
        output = printed.get(10, TimeUnit.SECONDS);
        assertThat(exited).as("the second server exited: %s", output).isTrue();
        int before = load.accepted().size();
        load.awaitAccepted(before + 20, PATIENCE);
      } finally {
        load.stop();
      }

      // then it refuses in one line, with exit status 2, and never touched the first's database
      assertThat(second.exitValue()).isEqualTo(2);
      assertThat(output)
          .contains("is in use by another Triggers server (pid " + first.process().pid());
      assertThat(output.lines().filter(line -> line.contains("Triggers could not start")))
          .hasSize(1);
      assertThat(output).doesNotContain("stopping the PostgreSQL", "Exception", "\tat ");
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
      assertThat(RunningServer.postmasterPid(workDir)).isEqualTo(postmaster);
      assertThat(first.output()).noneMatch(line -> line.contains("stopped unexpectedly"));
      assertThat(load.tally().keySet()).containsOnly("202");
      assertThat(api.missingEvents(apiKey, load.accepted()))
          .as("accepted events missing")
          .isEmpty();
    } finally {
      first.stop();
    }
  }
}

package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar the way an operator does: java -jar, SIGTERM, and kill -9. */
class ServerProcessIT {

  private static final Path JAR = RunningServer.JAR;
  private static final Path JAVA = RunningServer.JAVA;

  @TempDir Path workDir;

  @Test
  void servesFromTheExecutableJarAndStopsCleanlyOnSigterm() throws Exception {
    RunningServer server = RunningServer.start(workDir);
    try {
      ApiClient.Response health = new ApiClient(server.port()).get("/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

      // Through the handle, so that the process's output stays readable to the end.
      server.process().toHandle().destroy();
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      server.reader().join(Duration.ofSeconds(10));
    } finally {
      server.process().destroyForcibly();
    }
    assertThat(server.process().exitValue()).as("exit status after SIGTERM").isEqualTo(143);
    assertThat(server.output()).anyMatch(line -> line.contains("Triggers stopped"));
  }

  @Test
  void keepsEveryAcceptedEventAndItsKeyThroughAKillMinus9() throws Exception {
    // given a server under load
    RunningServer first = RunningServer.start(workDir);
    ApiClient firstClient = new ApiClient(first.port());
    String apiKey = firstClient.newApiKey("enterprise");
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicBoolean loading = new AtomicBoolean(true);
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int sender = i;
      senders.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int n = 0; loading.get(); n++) {
                      try {
                        ApiClient.Response response =
                            firstClient.ingest(
                                apiKey,
                                n % 2 == 0 ? Optional.of(sender + "-" + n) : Optional.empty());
                        if (response.status() == 202) {
                          accepted.add(ApiClient.text(response.body(), "id"));
                        }
                      } catch (RuntimeException connectionLost) {
                        return;
                      }
                    }
                  }));
    }
    try {
      Thread.sleep(1_500);

      // when the process is killed without warning
      first.process().destroyForcibly();
      assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      loading.set(false);
      first.process().destroyForcibly();
    }
    for (Thread sender : senders) {
      sender.join(Duration.ofSeconds(30));
    }
    assertThat(accepted).isNotEmpty();

    // then a new server on the same data directory has every event that was answered 202
    RunningServer second = RunningServer.start(workDir);
    try {
      ApiClient secondClient = new ApiClient(second.port());
      assertThat(secondClient.missingEvents(apiKey, accepted))
          .as("accepted events missing after the restart")
          .isEmpty();
    } finally {
      second.stop();
    }
  }

  @Test
  void printsUsageForHelp() throws Exception {
    Process help = new ProcessBuilder(JAVA.toString(), "-jar", JAR.toString(), "--help").start();

    String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(usage).contains("--database-url", "TRIGGERS_DATABASE_URL");
    try (var files = Files.list(workDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void refusesBadConfigurationWithExitStatusTwo() throws Exception {
    Process bad =
        new ProcessBuilder(JAVA.toString(), "-jar", JAR.toString(), "--port", "eighty")
            .redirectErrorStream(true)
            .start();

    String message = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(message).contains("--port must be a whole number");
  }
}

package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar the way an operator does: java -jar, then SIGTERM. */
class ServerProcessIT {

  private static final Pattern READY = Pattern.compile("ready on port (\\d+)");

  @TempDir Path workDir;

  @Test
  void servesFromTheExecutableJarAndStopsCleanlyOnSigterm() throws Exception {
    Path jar = Path.of("target", "triggers-server.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server =
        new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "0")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = readOutput(server, output, ready);
    try {
      int port = ready.get(60, TimeUnit.SECONDS);

      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

      // Through the handle, so that the process's output stays readable to the end.
      server.toHandle().destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(Duration.ofSeconds(10));
    } finally {
      server.destroyForcibly();
    }
    assertThat(server.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
    assertThat(output).anyMatch(line -> line.contains("Triggers stopped"));
  }

  @Test
  void printsUsageForHelp() throws Exception {
    Path jar = Path.of("target", "triggers-server.jar").toAbsolutePath();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process help = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--help").start();

    String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(usage).contains("--database-url", "TRIGGERS_DATABASE_URL");
    assertThat(Files.list(workDir)).isEmpty();
  }

  @Test
  void refusesBadConfigurationWithExitStatusTwo() throws Exception {
    Path jar = Path.of("target", "triggers-server.jar").toAbsolutePath();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process bad =
        new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "eighty")
            .redirectErrorStream(true)
            .start();

    String message = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(message).contains("--port must be a whole number");
  }

  /** Reads the server's output to the end, completing {@code port} at the ready line. */
  private static Thread readOutput(
      Process server, List<String> output, CompletableFuture<Integer> port) {
    return Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.add(line);
                  Matcher ready = READY.matcher(line);
                  if (ready.find()) {
                    port.complete(Integer.parseInt(ready.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(
                  new AssertionError("the server exited before it was ready: " + output));
            });
  }
}

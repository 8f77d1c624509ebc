package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server jar run as an operator runs it ({@code java -jar}) on a free port, with its
 * output collected line by line.
 */
record RunningServer(Process process, int port, List<String> output, Thread reader) {

  static final Path JAR = Path.of("target", "triggers-server.jar").toAbsolutePath();
  static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  private static final Pattern READY = Pattern.compile("ready on port (\\d+)");

  /** The pid of the PostgreSQL a server in {@code workDir} runs, as its postmaster.pid says. */
  static long postmasterPid(Path workDir) throws IOException {
    List<String> lines =
        Files.readAllLines(workDir.resolve("data").resolve("postgres").resolve("postmaster.pid"));
    return Long.parseLong(lines.get(0).strip());
  }

  /** Starts the server in {@code workDir} with no settings but a free port. */
  static RunningServer start(Path workDir) throws Exception {
    return start(workDir, List.of(), List.of(), Map.of());
  }

  /**
   * Starts the server in {@code workDir} with the JVM options, server flags and environment
   * variables given, and waits until it is ready.
   */
  static RunningServer start(
      Path workDir, List<String> jvmOptions, List<String> flags, Map<String, String> environment)
      throws Exception {
    assertThat(JAR).exists();
    List<String> command = new ArrayList<>();
    command.add(JAVA.toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "--port", "0"));
    command.addAll(flags);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = readOutput(process, output, port);
    try {
      return new RunningServer(process, port.get(120, TimeUnit.SECONDS), output, reader);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Sends SIGTERM, waits for the process to exit, and kills it if it does not. */
  void stop() throws InterruptedException {
    process.toHandle().destroy();
    process.waitFor(60, TimeUnit.SECONDS);
    process.destroyForcibly();
    reader.join(Duration.ofSeconds(10));
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

package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --migrate-only} run from the packaged jar: it migrates, exits, and never serves. */
class MigrateOnlyIT {

  private static final String SCHEMA_HISTORY =
      "SELECT count(*) FROM flyway_schema_history WHERE success";

  @TempDir Path workDir;

  @Test
  void migratesTheDatabaseItsUrlFileNamesAndExitsWithoutServing() throws Exception {
    // given an empty schema, whose URL (with its password) is in a file
    String url = TestDatabase.freshSchemaUrl();
    Path urlFile = Files.writeString(workDir.resolve("database-url"), url + "\n");
    Map<String, String> environment = Map.of("TRIGGERS_DATABASE_URL_FILE", urlFile.toString());

    // when
    Exited first = run(List.of("--migrate-only"), environment);

    // then
    assertThat(first.status()).as(first.output()).isZero();
    assertThat(first.output())
        .containsPattern("migrated the database schema: [1-9]\\d* migrations applied")
        .doesNotContain("ready on port");
    assertThat(TestDatabase.count(url, SCHEMA_HISTORY)).isPositive();
    assertThat(TestDatabase.count(url, "SELECT count(*) FROM events")).isZero();

    // and when run again, it finds nothing left to do
    Exited second = run(List.of("--migrate-only"), environment);

    assertThat(second.status()).as(second.output()).isZero();
    assertThat(second.output()).contains("schema: 0 migrations applied");
  }

  @Test
  void migratesTheEmbeddedDatabaseAndStopsItAgain() throws Exception {
    // when
    Exited first = run(List.of("--migrate-only"), Map.of());

    // then
    assertThat(first.status()).as(first.output()).isZero();
    assertThat(first.output()).containsPattern("[1-9]\\d* migrations applied");
    Path data = workDir.resolve("data");
    assertThat(data.resolve("postgres.password")).exists();
    assertThat(data.resolve("postgres").resolve("postmaster.pid"))
        .as("the embedded PostgreSQL is stopped")
        .doesNotExist();

    // and the migrations were kept: a second run applies none
    Exited second = run(List.of("--migrate-only"), Map.of());

    assertThat(second.status()).as(second.output()).isZero();
    assertThat(second.output()).contains("schema: 0 migrations applied");
  }

  @Test
  void failsWithAClearMessageAndNoPasswordWhenTheDatabaseIsUnreachable() throws Exception {
    String url = "postgres://triggers:Unre4chable-Pw@127.0.0.1:" + closedPort() + "/triggers";

    Exited exited = run(List.of("--migrate-only", "--database-url", url), Map.of());

    assertThat(exited.status()).isEqualTo(1);
    assertThat(exited.output())
        .contains("Triggers could not migrate: PostgreSQL is unavailable")
        .doesNotContain("Unre4chable-Pw")
        .doesNotContain("ready on port");
  }

  @Test
  void refusesAUrlGivenBothAsAValueAndAsAFileWithExitStatusTwo() throws Exception {
    Path urlFile = Files.writeString(workDir.resolve("database-url"), "postgres://a:b@db/x\n");

    Exited exited =
        run(
            List.of("--migrate-only"),
            Map.of(
                "TRIGGERS_DATABASE_URL",
                "postgres://c:d@db/y",
                "TRIGGERS_DATABASE_URL_FILE",
                urlFile.toString()));

    assertThat(exited.status()).isEqualTo(2);
    assertThat(exited.output())
        .contains("TRIGGERS_DATABASE_URL (--database-url) and TRIGGERS_DATABASE_URL_FILE")
        .doesNotContain("a:b@", "c:d@");
  }

  @Test
  void refusesTheDataDirectoryOfARunningServerAndLeavesItServing() throws Exception {
    RunningServer server = RunningServer.start(workDir);
    try {
      Exited exited = run(List.of("--migrate-only"), Map.of());

      assertThat(exited.status()).as(exited.output()).isEqualTo(2);
      assertThat(exited.output()).contains("Triggers could not migrate");
      assertThat(new ApiClient(server.port()).get("/health/ready").status()).isEqualTo(200);
    } finally {
      server.stop();
    }
  }

  private record Exited(int status, String output) {}

  /** Runs the jar in the work directory and waits for it to exit by itself. */
  private Exited run(List<String> flags, Map<String, String> environment) throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(List.of(RunningServer.JAVA.toString(), "-jar", RunningServer.JAR.toString()));
    command.addAll(flags);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "output unreadable: " + e;
              }
            });
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited by itself").isTrue();
      return new Exited(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } finally {
      process.destroyForcibly();
    }
  }

  /** A port nothing listens on: free a moment ago. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }
}

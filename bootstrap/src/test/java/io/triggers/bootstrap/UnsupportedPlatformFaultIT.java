package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In embedded mode on a platform the jar carries no PostgreSQL for, the server says so in one line
 * that names the way out, and sets up no database.
 */
class UnsupportedPlatformFaultIT {

  @TempDir Path workDir;

  @Test
  void namesTheDatabaseUrlAsTheWayOutAndStartsNoDatabase() throws Exception {
    // given a JVM that reports an architecture no PostgreSQL is shipped for
    Process server =
        new ProcessBuilder(
                RunningServer.JAVA.toString(),
                "-Dos.arch=s390x",
                "-jar",
                RunningServer.JAR.toString(),
                "--port",
                "0")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .start();

    // when it starts in embedded mode
    String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    // then
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).as(output).isEqualTo(2);
    assertThat(output.lines().filter(line -> line.contains("Triggers could not start")))
        .as(output)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("no embedded PostgreSQL is shipped for linux s390x")
                    .contains("TRIGGERS_DATABASE_URL"));
    assertThat(workDir.resolve("data").resolve("postgres")).doesNotExist();
  }
}

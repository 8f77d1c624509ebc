package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose port is taken says so in one line, before it starts its database. */
class PortInUseFaultIT {

  @TempDir Path workDir;

  @Test
  void namesThePortInOneLineAndStartsNoDatabase() throws Exception {
    // given another process listening on the port
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();

      // when the server is started on it
      Process server =
          new ProcessBuilder(
                  RunningServer.JAVA.toString(),
                  "-jar",
                  RunningServer.JAR.toString(),
                  "--port",
                  Integer.toString(port))
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      // then
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isEqualTo(2);
      assertThat(output.lines())
          .as(output)
          .containsExactly(
              output
                  .lines()
                  .filter(
                      line ->
                          line.contains("Triggers could not start: port " + port + " is in use"))
                  .findFirst()
                  .orElse("no line naming port " + port));
      assertThat(workDir.resolve("data")).doesNotExist();
    }
  }
}

package io.triggers.bootstrap.wiring;

import io.triggers.bootstrap.config.ConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-configuration database: a PostgreSQL server run by this process, its data kept in a
 * directory across restarts, with commits flushed to disk like any production server.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  static EmbeddedPostgresServer start(Path dataDir) {
    Path dataDirectory = dataDir.resolve("postgres").toAbsolutePath();
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot create the data directory " + dataDirectory + ": " + e.getMessage());
    }
    stopLeftoverServer(dataDirectory);
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // The library's default turns synchronous commit off; a 202 must mean on disk.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100")
              .start();
      return new EmbeddedPostgresServer(postgres, dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
    }
  }

  /**
   * A server whose Triggers process was killed (kill -9) keeps running and holds the data
   * directory; it is stopped cleanly here, so that a restart just works.
   */
  private static void stopLeftoverServer(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    Optional<ProcessHandle> leftover;
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      List<String> lines = Files.readAllLines(pidFile);
      leftover =
          lines.isEmpty()
              ? Optional.empty()
              : ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                  .filter(ProcessHandle::isAlive)
                  .filter(EmbeddedPostgresServer::isPostgres);
    } catch (IOException | NumberFormatException e) {
      return;
    }
    if (leftover.isEmpty()) {
      return;
    }
    ProcessHandle server = leftover.get();
    LOG.warn(
        "stopping the PostgreSQL server (pid {}) that an earlier run left behind", server.pid());
    server.destroy();
    try {
      server.onExit().get(LEFTOVER_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping a leftover PostgreSQL", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "a PostgreSQL server (pid "
              + server.pid()
              + ") still holds "
              + dataDirectory
              + "; stop it and start again",
          e);
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("postgres")).orElse(false);
  }

  /** A JDBC URL of the running server, with its superuser. */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}

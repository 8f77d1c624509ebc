package io.triggers.adapters.postgres.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's files under the server's data directory: the database itself in {@code
 * postgres/}, its password, its log, the access rules written at every start and the pid of its
 * postmaster.
 */
final class PostgresDataDirectory {

  static final String PASSWORD_FILE = "postgres.password";
  static final String LOG_FILE = "postgres.log";

  /** Written at every start: a password for every connection, over TCP and the socket alike. */
  static final String HBA =
      """
      # Written by Triggers at every start: every connection must give the password kept in
      # postgres.password beside this directory.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  /** Under the server's name, as operators know it from the log. */
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path root;
  private final Path database;

  private PostgresDataDirectory(Path root) {
    this.root = root;
    this.database = root.resolve("postgres");
  }

  /** The files under {@code dataDir}, which is created if need be. */
  static PostgresDataDirectory create(Path dataDir) {
    Path root = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot create the data directory " + root + ": " + e.getMessage());
    }
    return new PostgresDataDirectory(root);
  }

  /** PostgreSQL's own data directory. */
  Path database() {
    return database;
  }

  Path passwordFile() {
    return root.resolve(PASSWORD_FILE);
  }

  Path logFile() {
    return root.resolve(LOG_FILE);
  }

  /** Whether initdb has set the database up. */
  boolean initialized() {
    return Files.exists(database.resolve("PG_VERSION"));
  }

  /** Whether pg_hba.conf holds the rules this version writes. */
  boolean hbaIsCurrent() {
    try {
      return HBA.equals(Files.readString(database.resolve("pg_hba.conf"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
  }

  void writeHba() {
    try {
      Path staging = database.resolve("pg_hba.conf.new");
      Files.writeString(staging, HBA, StandardCharsets.UTF_8);
      Files.move(staging, database.resolve("pg_hba.conf"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded PostgreSQL's pg_hba.conf", e);
    }
  }

  /** The process id the running postmaster wrote, if any. */
  Optional<Long> postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(database.resolve("postmaster.pid"));
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** " (log: …)" with the last line of PostgreSQL's log, which says why it did not start. */
  String lastLogLine() {
    Path logFile = logFile();
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank() && !lines.get(i).contains("HINT:")) {
          return " (" + logFile + ": " + lines.get(i).strip() + ")";
        }
      }
    } catch (IOException e) {
      // no log to quote
    }
    return "";
  }

  /**
   * A server whose Triggers process was killed (kill -9) keeps running and holds the data
   * directory; it is stopped cleanly here, so that a restart just works. Only a server holding the
   * data directory's lock may do this.
   */
  void stopLeftoverServer() {
    Optional<ProcessHandle> leftover =
        postmasterPid()
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(PostgresDataDirectory::isPostgres);
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
              + database
              + "; stop it and start again",
          e);
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("postgres")).orElse(false);
  }
}

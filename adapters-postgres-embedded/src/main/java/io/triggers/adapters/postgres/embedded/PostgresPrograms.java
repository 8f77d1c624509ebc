package io.triggers.adapters.postgres.embedded;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL programs run on one data directory ({@code initdb}, {@code pg_ctl}, single-user
 * {@code postgres}), each to its end; a program that fails fails the call with its last line of
 * output.
 */
final class PostgresPrograms {

  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Under the server's name, as operators know it from the log. */
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final PostgresBinaries binaries;
  private final PostgresDataDirectory directory;

  PostgresPrograms(PostgresBinaries binaries, PostgresDataDirectory directory) {
    this.binaries = binaries;
    this.directory = directory;
  }

  /** Sets up a new database, with the superuser's password from the password file. */
  void initdb(String user) {
    LOG.info("setting up the embedded PostgreSQL in {}", directory.database());
    run(
        "initdb",
        List.of(
            "-D",
            directory.database().toString(),
            "-U",
            user,
            "-E",
            "UTF-8",
            "--auth=scram-sha-256",
            "--pwfile=" + directory.passwordFile()),
        Optional.empty(),
        START_TIMEOUT);
  }

  /**
   * Gives {@code user} the password. Runs PostgreSQL in single-user mode, which accepts no
   * connection at all, so the database is never open while it changes.
   */
  void setPassword(String user, String password) {
    run(
        "postgres",
        List.of(
            "--single",
            "-D",
            directory.database().toString(),
            "-c",
            "exit_on_error=true",
            "-c",
            "password_encryption=scram-sha-256",
            "postgres"),
        Optional.of("ALTER ROLE " + user + " PASSWORD '" + password + "';\n"),
        START_TIMEOUT);
  }

  /** Starts the postmaster with {@code options} and waits until it accepts connections. */
  void start(String options) {
    Path database = directory.database();
    try {
      run(
          "pg_ctl",
          List.of(
              "-D",
              database.toString(),
              "-l",
              directory.logFile().toString(),
              "-w",
              "-t",
              Long.toString(START_TIMEOUT.toSeconds()),
              "-o",
              options,
              "start"),
          Optional.empty(),
          START_TIMEOUT.plusSeconds(10));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + directory.lastLogLine(), e);
    }
  }

  /** Stops the postmaster, letting it end its sessions first (fast shutdown). */
  void stop() {
    run(
        "pg_ctl",
        List.of(
            "-D",
            directory.database().toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            Long.toString(STOP_TIMEOUT.toSeconds()),
            "stop"),
        Optional.empty(),
        STOP_TIMEOUT.plusSeconds(10));
  }

  /** Runs one PostgreSQL program to its end; fails with its last line of output if it fails. */
  private void run(
      String program, List<String> arguments, Optional<String> input, Duration timeout) {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // PostgreSQL refuses to run as root; in a user namespace of its own it is nobody.
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(binaries.program(program));
    command.addAll(arguments);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + program, e);
    }
    try {
      try (var stdin = process.getOutputStream()) {
        if (input.isPresent()) {
          stdin.write(input.get().getBytes(StandardCharsets.UTF_8));
        }
      }
      // pg_ctl hands the postmaster a log file of its own, so its output ends when it exits.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(program + " did not finish within " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            program + " failed with status " + process.exitValue() + ": " + lastLine(output));
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException("cannot run " + program, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + program, e);
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}

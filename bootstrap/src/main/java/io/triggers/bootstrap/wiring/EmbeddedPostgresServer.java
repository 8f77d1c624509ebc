package io.triggers.bootstrap.wiring;

import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.core.model.Health;
import io.triggers.core.port.out.HealthCheck;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-configuration database: a PostgreSQL server run by this process, its data kept in a
 * directory across restarts, with commits flushed to disk like any production server.
 *
 * <p>It accepts only connections that give its password (SCRAM), which is made at first start and
 * kept in the data directory, readable by its owner alone; a directory that an earlier version set
 * up to trust every local connection is converted at start. The server watches the postmaster and,
 * should it die, starts it again on the same port, so the pool's connections come back by
 * themselves; {@link #healthCheck()} reports it down meanwhile, and no longer live once it has been
 * down for {@link PostgresOutage#LIVENESS_LIMIT}. The caller must hold the data directory's {@link
 * DataDirectoryLock}: only then may a PostgreSQL that a killed earlier run left behind be stopped.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  static final String USER = "postgres";
  static final String PASSWORD_FILE = "postgres.password";
  static final String LOG_FILE = "postgres.log";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String HOST = "127.0.0.1";
  private static final Duration POLL = Duration.ofMillis(250);

  /** Written at every start: a password for every connection, over TCP and the socket alike. */
  static final String HBA =
      """
      # Written by Triggers at every start: every connection must give the password kept in
      # postgres.password beside this directory.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  private final PostgresBinaries binaries;
  private final Path dataDirectory;
  private final Path logFile;
  private final int port;
  private final String password;
  private final PostgresOutage outage;
  private final ScheduledExecutorService supervisor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean reportedNotLive = new AtomicBoolean();
  private volatile long pid;
  private volatile String lastFailure = "";

  private EmbeddedPostgresServer(
      PostgresBinaries binaries,
      Path dataDirectory,
      Path logFile,
      int port,
      String password,
      PostgresOutage outage) {
    this.binaries = binaries;
    this.dataDirectory = dataDirectory;
    this.logFile = logFile;
    this.port = port;
    this.password = password;
    this.outage = outage;
    this.supervisor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("triggers-postgres-supervisor").daemon().factory());
  }

  /** Starts the server of {@code dataDir}, setting it up on first use. */
  static EmbeddedPostgresServer start(Path dataDir) {
    return start(dataDir, Clock.systemUTC(), PostgresOutage.LIVENESS_LIMIT);
  }

  static EmbeddedPostgresServer start(Path dataDir, Clock clock, Duration livenessLimit) {
    Path root = dataDir.toAbsolutePath().normalize();
    Path dataDirectory = root.resolve("postgres");
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot create the data directory " + root + ": " + e.getMessage());
    }
    PostgresBinaries binaries = PostgresBinaries.unpacked();
    stopLeftoverServer(dataDirectory);
    Path passwordFile = root.resolve(PASSWORD_FILE);
    PasswordFile.Password password = PasswordFile.readOrMake(passwordFile);
    if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
      initdb(binaries, dataDirectory, passwordFile);
      writeHba(dataDirectory);
    } else if (password.made() || !HBA.equals(readHba(dataDirectory))) {
      requirePassword(binaries, dataDirectory, password.value());
    }
    EmbeddedPostgresServer server =
        new EmbeddedPostgresServer(
            binaries,
            dataDirectory,
            root.resolve(LOG_FILE),
            freePort(),
            password.value(),
            new PostgresOutage(clock, livenessLimit));
    try {
      server.pid = server.startPostmaster();
    } catch (RuntimeException e) {
      server.supervisor.shutdownNow();
      throw new IllegalStateException(
          "the embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
    server.watch(server.pid);
    server.supervisor.scheduleWithFixedDelay(
        server::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    return server;
  }

  /** A JDBC URL of the running server, without its user and password. */
  String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
  }

  String user() {
    return USER;
  }

  String password() {
    return password;
  }

  int port() {
    return port;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  /** The postmaster's process id as of the latest (re)start. */
  long pid() {
    return pid;
  }

  /** Down while the postmaster is dead and being restarted; not live once that lasts too long. */
  HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "embedded_postgres";
      }

      @Override
      public Health check() {
        if (!outage.down()) {
          return Health.up();
        }
        int failed = outage.failedAttempts();
        return new Health(
            Health.Status.DOWN,
            "stopped unexpectedly; restarting it"
                + (failed == 0 ? "" : " (" + failed + " attempts failed: " + lastFailure + ")"));
      }

      @Override
      public boolean live() {
        return outage.live();
      }
    };
  }

  /** Sets up a new data directory, with the password from {@code passwordFile}. */
  private static void initdb(PostgresBinaries binaries, Path dataDirectory, Path passwordFile) {
    LOG.info("setting up the embedded PostgreSQL in {}", dataDirectory);
    run(
        binaries,
        "initdb",
        List.of(
            "-D",
            dataDirectory.toString(),
            "-U",
            USER,
            "-E",
            "UTF-8",
            "--auth=scram-sha-256",
            "--pwfile=" + passwordFile),
        Optional.empty(),
        START_TIMEOUT);
  }

  /**
   * Gives the superuser the password and then makes every connection give it: a data directory set
   * up by an earlier version trusted every local connection. Runs PostgreSQL in single-user mode,
   * which accepts no connection at all, so the directory is never open while it is converted.
   */
  private static void requirePassword(
      PostgresBinaries binaries, Path dataDirectory, String password) {
    LOG.info("requiring a password for every connection to the embedded PostgreSQL");
    run(
        binaries,
        "postgres",
        List.of(
            "--single",
            "-D",
            dataDirectory.toString(),
            "-c",
            "exit_on_error=true",
            "-c",
            "password_encryption=scram-sha-256",
            "postgres"),
        Optional.of("ALTER ROLE " + USER + " PASSWORD '" + password + "';\n"),
        START_TIMEOUT);
    writeHba(dataDirectory);
  }

  private static String readHba(Path dataDirectory) {
    try {
      return Files.readString(dataDirectory.resolve("pg_hba.conf"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void writeHba(Path dataDirectory) {
    try {
      Path staging = dataDirectory.resolve("pg_hba.conf.new");
      Files.writeString(staging, HBA, StandardCharsets.UTF_8);
      Files.move(staging, dataDirectory.resolve("pg_hba.conf"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded PostgreSQL's pg_hba.conf", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the embedded PostgreSQL", e);
    }
  }

  /** Starts the postmaster, waits until it accepts connections, and returns its process id. */
  private long startPostmaster() {
    String options =
        String.join(
            " ",
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=" + HOST,
            // A 202 must mean on disk.
            "-c",
            "synchronous_commit=on",
            "-c",
            "fsync=on",
            "-c",
            "full_page_writes=on",
            "-c",
            "max_connections=100",
            "-c",
            "timezone=UTC",
            "-c",
            "password_encryption=scram-sha-256");
    try {
      run(
          binaries,
          "pg_ctl",
          List.of(
              "-D",
              dataDirectory.toString(),
              "-l",
              logFile.toString(),
              "-w",
              "-t",
              Long.toString(START_TIMEOUT.toSeconds()),
              "-o",
              options,
              "start"),
          Optional.empty(),
          START_TIMEOUT.plusSeconds(10));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + lastLogLine(), e);
    }
    return postmasterPid(dataDirectory)
        .orElseThrow(() -> new IllegalStateException("PostgreSQL started but wrote no pid"));
  }

  /** " (log: …)" with the last line of PostgreSQL's log, which says why it did not start. */
  private String lastLogLine() {
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
   * Restarts the postmaster when it exits, unless this server is being closed. The postmaster is
   * not a child of this process, so the JDK learns of its exit by polling, less often the longer it
   * runs; a check of its own every {@link #POLL} bounds the delay.
   */
  private void watch(long postmaster) {
    Optional<ProcessHandle> process = ProcessHandle.of(postmaster);
    if (process.isEmpty()) {
      submit(() -> died(postmaster));
      return;
    }
    process.get().onExit().thenRun(() -> submit(() -> died(postmaster)));
  }

  private void poll() {
    long postmaster = pid;
    if (!outage.down() && !running(postmaster)) {
      died(postmaster);
    }
  }

  /**
   * Whether the process runs. A killed postmaster's parent is init, which may take a while to reap
   * it, and the JDK counts a process alive until then; on Linux its state tells at once.
   */
  private static boolean running(long process) {
    if (!ProcessHandle.of(process).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return true; // no /proc here, or the process is gone already: isAlive has said enough
    }
  }

  private void submit(Runnable task) {
    try {
      supervisor.execute(task);
    } catch (RejectedExecutionException e) {
      // closing: nothing to restart
    }
  }

  /** Schedules the first restart, once per death, however it was noticed. */
  private void died(long postmaster) {
    if (closed.get() || postmaster != pid || outage.down()) {
      return;
    }
    Duration wait = outage.died();
    LOG.warn(
        "the embedded PostgreSQL (pid {}) stopped unexpectedly; restarting it on port {}",
        postmaster,
        port);
    schedule(wait);
  }

  private void schedule(Duration wait) {
    try {
      supervisor.schedule(this::attemptRestart, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: nothing to restart
    }
  }

  private void attemptRestart() {
    if (closed.get()) {
      return;
    }
    try {
      long restarted = startPostmaster();
      pid = restarted;
      int failed = outage.failedAttempts();
      Duration down = outage.restarted();
      reportedNotLive.set(false);
      LOG.info(
          "the embedded PostgreSQL runs again (pid {}, port {}) after {} ms down and {} failed"
              + " attempts",
          restarted,
          port,
          down.toMillis(),
          failed);
      watch(restarted);
    } catch (RuntimeException e) {
      lastFailure = e.getMessage();
      Duration wait = outage.failed();
      LOG.warn(
          "restarting the embedded PostgreSQL failed (attempt {}): {}; next attempt in {} ms",
          outage.failedAttempts(),
          e.getMessage(),
          wait.toMillis());
      if (!outage.live() && reportedNotLive.compareAndSet(false, true)) {
        LOG.error(
            "the embedded PostgreSQL has been down for {} s: /health now answers 503, so that"
                + " a supervisor restarts Triggers",
            outage.livenessLimit().toSeconds());
      }
      schedule(wait);
    }
  }

  /** Runs one PostgreSQL program and returns its output; fails with that output if it fails. */
  private static String run(
      PostgresBinaries binaries,
      String program,
      List<String> arguments,
      Optional<String> input,
      Duration timeout) {
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
      return output;
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

  private static Optional<Long> postmasterPid(Path dataDirectory) {
    try {
      List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A server whose Triggers process was killed (kill -9) keeps running and holds the data
   * directory; it is stopped cleanly here, so that a restart just works. Only a server holding the
   * data directory's lock may do this.
   */
  private static void stopLeftoverServer(Path dataDirectory) {
    Optional<ProcessHandle> leftover =
        postmasterPid(dataDirectory)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(EmbeddedPostgresServer::isPostgres);
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

  /** Stops watching, then stops PostgreSQL; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    supervisor.shutdownNow();
    try {
      // A restart under way runs to its end, so a server it starts is stopped below.
      supervisor.awaitTermination(START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      run(
          binaries,
          "pg_ctl",
          List.of(
              "-D",
              dataDirectory.toString(),
              "-m",
              "fast",
              "-w",
              "-t",
              Long.toString(STOP_TIMEOUT.toSeconds()),
              "stop"),
          Optional.empty(),
          STOP_TIMEOUT.plusSeconds(10));
    } catch (RuntimeException e) {
      LOG.warn("stopping the embedded PostgreSQL failed: {}", e.getMessage());
    }
  }
}

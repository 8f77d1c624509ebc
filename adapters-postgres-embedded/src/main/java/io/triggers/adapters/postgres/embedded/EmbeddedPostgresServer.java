package io.triggers.adapters.postgres.embedded;

import io.triggers.core.port.out.HealthCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
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
 * down for {@link PostgresOutage#LIVENESS_LIMIT}. The caller must hold an exclusive lock on the
 * data directory: only then may a PostgreSQL that a killed earlier run left behind be stopped.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  static final String USER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String HOST = "127.0.0.1";

  private final PostgresDataDirectory directory;
  private final PostgresPrograms programs;
  private final int port;
  private final String password;
  private final PostgresSupervisor supervisor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedPostgresServer(
      PostgresDataDirectory directory,
      PostgresPrograms programs,
      int port,
      String password,
      PostgresSupervisor supervisor) {
    this.directory = directory;
    this.programs = programs;
    this.port = port;
    this.password = password;
    this.supervisor = supervisor;
  }

  /**
   * Starts the server of {@code dataDir}, setting it up on first use.
   *
   * @throws DataDirectoryException if the data directory or the password in it cannot be used
   */
  public static EmbeddedPostgresServer start(Path dataDir) {
    return start(dataDir, Clock.systemUTC(), PostgresOutage.LIVENESS_LIMIT);
  }

  static EmbeddedPostgresServer start(Path dataDir, Clock clock, Duration livenessLimit) {
    PostgresDataDirectory directory = PostgresDataDirectory.create(dataDir);
    PostgresPrograms programs = new PostgresPrograms(PostgresBinaries.unpacked(), directory);
    directory.stopLeftoverServer();
    PasswordFile.Password password = PasswordFile.readOrMake(directory.passwordFile());
    if (!directory.initialized()) {
      programs.initdb(USER);
      directory.writeHba();
    } else if (password.made() || !directory.hbaIsCurrent()) {
      // A data directory set up by an earlier version trusted every local connection.
      LOG.info("requiring a password for every connection to the embedded PostgreSQL");
      programs.setPassword(USER, password.value());
      directory.writeHba();
    }
    PostgresOutage outage = new PostgresOutage(clock, livenessLimit);
    int port = freePort();
    LongSupplier postmaster = () -> startPostmaster(programs, directory, port);
    long pid;
    try {
      pid = postmaster.getAsLong();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
    return new EmbeddedPostgresServer(
        directory,
        programs,
        port,
        password.value(),
        new PostgresSupervisor(pid, postmaster, port, outage));
  }

  /** A JDBC URL of the running server, without its user and password. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  int port() {
    return port;
  }

  Path dataDirectory() {
    return directory.database();
  }

  /** The postmaster's process id as of the latest (re)start. */
  long pid() {
    return supervisor.pid();
  }

  /** Down while the postmaster is dead and being restarted; not live once that lasts too long. */
  public HealthCheck healthCheck() {
    return supervisor.healthCheck();
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
  private static long startPostmaster(
      PostgresPrograms programs, PostgresDataDirectory directory, int port) {
    programs.start(
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
            "password_encryption=scram-sha-256"));
    return directory
        .postmasterPid()
        .orElseThrow(() -> new IllegalStateException("PostgreSQL started but wrote no pid"));
  }

  /** Stops watching, then stops PostgreSQL; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    supervisor.close();
    try {
      programs.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping the embedded PostgreSQL failed: {}", e.getMessage());
    }
  }
}

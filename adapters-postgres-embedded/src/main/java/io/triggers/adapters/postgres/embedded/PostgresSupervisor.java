package io.triggers.adapters.postgres.embedded;

import io.triggers.core.model.Health;
import io.triggers.core.port.out.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the postmaster and, should it die, starts it again, on the schedule of {@link
 * PostgresOutage}, until it runs or the supervisor is closed. Its own thread does all the work, so
 * restarts never overlap.
 */
final class PostgresSupervisor implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(250);

  /** Under the server's name, as operators know it from the log. */
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final LongSupplier start;
  private final int port;
  private final PostgresOutage outage;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean reportedNotLive = new AtomicBoolean();
  private volatile long pid;
  private volatile String lastFailure = "";

  /**
   * Watches the postmaster {@code pid} from now on; {@code start} starts a new one on {@code port}
   * and returns its process id, or throws if it did not start.
   */
  PostgresSupervisor(long pid, LongSupplier start, int port, PostgresOutage outage) {
    this.pid = pid;
    this.start = start;
    this.port = port;
    this.outage = outage;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("triggers-postgres-supervisor").daemon().factory());
    watch(pid);
    executor.scheduleWithFixedDelay(
        this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
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

  /**
   * Restarts the postmaster when it exits, unless this supervisor is being closed. The postmaster
   * is not a child of this process, so the JDK learns of its exit by polling, less often the longer
   * it runs; a check of its own every {@link #POLL} bounds the delay.
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
      executor.execute(task);
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
      executor.schedule(this::attemptRestart, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: nothing to restart
    }
  }

  private void attemptRestart() {
    if (closed.get()) {
      return;
    }
    try {
      long restarted = start.getAsLong();
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

  /**
   * Stops watching; a restart under way runs to its end, so that the caller, stopping PostgreSQL
   * next, stops the server it started too.
   */
  @Override
  public void close() {
    closed.set(true);
    executor.shutdownNow();
    try {
      executor.awaitTermination(PostgresPrograms.START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

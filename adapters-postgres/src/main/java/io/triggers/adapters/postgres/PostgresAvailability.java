package io.triggers.adapters.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether PostgreSQL is known to be down: the one place that decides it, so that while it is down
 * every read and write fails at once instead of each waiting for the pool's connection timeout.
 *
 * <p>A failure that suggests the server cannot be reached (a connection refused or lost, the pool
 * timing out, the server shutting down or starting up) only raises the suspicion: a probe then
 * opens a connection of its own, outside the pool and with short timeouts. Only if the probe fails
 * too is the database known to be down; a slow database or a pool that is merely busy answers the
 * probe and stays open. While the database is down the probe repeats every {@link #PROBE_INTERVAL}
 * and opens the gate again as soon as it connects, without a restart.
 *
 * <p>It also remembers when the server last refused work for want of resources (a full disk, most
 * often: SQLSTATE class 53), so that readiness can say so for {@link #SHORTAGE_REPORTED_FOR}
 * afterwards. Such refusals come at once, so they do not close the gate; but when the server goes
 * down right after one (PostgreSQL stops with a PANIC when its WAL cannot grow), the reason it is
 * down says so, as in {@code unreachable after disk full}. Thread-safe.
 */
final class PostgresAvailability implements AutoCloseable {

  static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
  static final Duration SHORTAGE_REPORTED_FOR = Duration.ofSeconds(5);

  /** Hands out a connection; the caller closes it. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  /** Opens a new connection to the server, bypassing the pool, and closes it again. */
  @FunctionalInterface
  interface Probe {
    void connect() throws SQLException;
  }

  private record Shortage(String what, long atNanos) {}

  private final Probe probe;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile String downBecause;
  private volatile Shortage lastShortage;

  /** Written and read by the probe alone. */
  private String shortageBeforeDown = "";

  PostgresAvailability(Probe probe) {
    this.probe = probe;
  }

  /**
   * A pooled connection from {@code pool}, or at once a {@link SQLTransientConnectionException}
   * while the database is known to be down. A failure to get one is looked into.
   */
  Connection connect(Connector pool) throws SQLException {
    String down = downBecause;
    if (down != null) {
      throw new SQLTransientConnectionException("PostgreSQL is down: " + down, "08001");
    }
    try {
      return pool.connect();
    } catch (SQLException | RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /** Takes note of a failure met while using the database; cheap, never blocks. */
  void failed(Throwable failure) {
    Optional<String> shortage = SqlFailures.shortage(failure);
    if (shortage.isPresent()) {
      // Such a refusal comes at once, so there is no wait to spare callers.
      lastShortage = new Shortage(shortage.get(), System.nanoTime());
    } else if (SqlFailures.isUnavailable(failure)) {
      startProbing();
    }
  }

  /**
   * Why the database cannot serve now: known down (and why), or short of a resource in the last
   * {@link #SHORTAGE_REPORTED_FOR}; empty when neither is known.
   */
  Optional<String> problem() {
    String down = downBecause;
    if (down != null) {
      return Optional.of(down);
    }
    return recentShortage();
  }

  private Optional<String> recentShortage() {
    Shortage shortage = lastShortage;
    if (shortage != null
        && System.nanoTime() - shortage.atNanos() < SHORTAGE_REPORTED_FOR.toNanos()) {
      return Optional.of(shortage.what());
    }
    return Optional.empty();
  }

  /** Whether the database is known to be down, so that requests are refused without trying. */
  boolean isDown() {
    return downBecause != null;
  }

  /** Whether a probe is under way or repeating. */
  boolean isProbing() {
    return probing.get();
  }

  /** Stops probing. */
  @Override
  public void close() {
    running = false;
  }

  private void startProbing() {
    if (running && probing.compareAndSet(false, true)) {
      Thread.ofVirtual().name("triggers-postgres-probe").start(this::probeUntilReachable);
    }
  }

  private void probeUntilReachable() {
    try {
      while (running) {
        Optional<String> unreachable = probeOnce();
        if (unreachable.isEmpty()) {
          downBecause = null;
          return;
        }
        if (downBecause == null) {
          shortageBeforeDown = recentShortage().map(what -> " after " + what).orElse("");
        }
        downBecause = unreachable.get() + shortageBeforeDown;
        Thread.sleep(PROBE_INTERVAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      probing.set(false);
    }
  }

  /** Empty when a new connection could be opened, else why not. */
  private Optional<String> probeOnce() {
    try {
      probe.connect();
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      if (!SqlFailures.isUnavailable(e) || SqlFailures.shortage(e).isPresent()) {
        // It answered: whatever it refused, it is up, and the pool's own connections may serve.
        return Optional.empty();
      }
      return Optional.of(reasonFor(e));
    }
  }

  private static String reasonFor(Throwable failure) {
    return SqlFailures.hasState(failure, "57P03") ? "starting up" : "unreachable";
  }
}

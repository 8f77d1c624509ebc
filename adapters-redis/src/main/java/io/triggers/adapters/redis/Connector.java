package io.triggers.adapters.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one {@link RedisConnection}, the shared one first, and the background thread
 * that makes those that could not be made at the start, so that a node can start while Redis is
 * down. Lettuce itself remakes a connection once it was made. Thread-safe.
 */
final class Connector {

  /** How often a connection that could not be made at the start is tried again. */
  private static final Duration CONNECT_RETRY_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

  private final String address;
  private final List<PendingConnection<?>> pending = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final PendingConnection<StatefulRedisConnection<String, String>> shared;

  /** Connects what is still pending, while anything is; guarded by {@link #lock}. */
  private Thread thread;

  Connector(String address, Supplier<StatefulRedisConnection<String, String>> sharedOpener) {
    this.address = address;
    this.shared = add(sharedOpener);
  }

  /** The connection that carries every command of every port. */
  PendingConnection<StatefulRedisConnection<String, String>> shared() {
    return shared;
  }

  /** A connection of its own for one port, not opened yet. */
  <C extends StatefulConnection<String, String>> PendingConnection<C> add(Supplier<C> opener) {
    PendingConnection<C> connection = new PendingConnection<>(opener, closed);
    pending.add(connection);
    return connection;
  }

  /**
   * Opens a dedicated connection now if the shared one is open, else leaves it to the background.
   */
  void openOrLater(PendingConnection<?> connection) {
    if (!shared.isOpen() || !connection.open()) {
      start();
    }
  }

  /** Starts connecting in the background, unless that is under way or this is closed. */
  void start() {
    lock.lock();
    try {
      if (closed.get() || (thread != null && thread.isAlive())) {
        return;
      }
      thread =
          Thread.ofPlatform().daemon().name("triggers-redis-connector").start(this::connectAll);
    } finally {
      lock.unlock();
    }
  }

  /** Stops connecting and closes every connection; false if this was closed already. */
  boolean close() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    lock.lock();
    try {
      if (thread != null) {
        thread.interrupt();
      }
    } finally {
      lock.unlock();
    }
    pending.forEach(PendingConnection::close);
    return true;
  }

  /**
   * Tries the pending connections about once a second, the shared one first, until all are open.
   */
  private void connectAll() {
    while (!closed.get()) {
      try {
        Thread.sleep(CONNECT_RETRY_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      if (!shared.open()) {
        continue;
      }
      boolean allOpen = true;
      for (PendingConnection<?> connection : pending) {
        allOpen &= connection.open();
      }
      if (allOpen) {
        lock.lock();
        try {
          // A port made meanwhile may have found the connector still running; look once more.
          if (pending.stream().allMatch(PendingConnection::isOpen) || closed.get()) {
            thread = null;
            LOG.info("Connected to Redis at {}", address);
            return;
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }
}

package io.triggers.adapters.redis;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A connection that is made once Redis can be reached; until then {@link #get} fails at once, as
 * commands do while a connection is lost. Thread-safe.
 */
final class PendingConnection<C extends StatefulConnection<String, String>> {

  private final Supplier<C> opener;
  private final AtomicBoolean closed;
  private final ReentrantLock opening = new ReentrantLock();
  private volatile C connection;
  private volatile String lastFailure = "not tried yet";

  /** Opens with {@code opener}, unless {@code closed} is set, which the owner sets on closing. */
  PendingConnection(Supplier<C> opener, AtomicBoolean closed) {
    this.opener = opener;
    this.closed = closed;
  }

  C get() {
    C open = connection;
    if (open == null) {
      throw new RedisConnectionException("not connected to Redis yet: " + lastFailure);
    }
    return open;
  }

  boolean isOpen() {
    return connection != null;
  }

  String lastFailure() {
    return lastFailure;
  }

  /** Opens the connection unless it is open; whether it is open afterwards. */
  boolean open() {
    opening.lock();
    try {
      if (connection != null) {
        return true;
      }
      if (closed.get()) {
        return false;
      }
      try {
        connection = opener.get();
      } catch (RedisException e) {
        lastFailure = describe(e);
        return false;
      }
      if (closed.get()) {
        // Closed while this was opening: the owner's close may have passed it by.
        connection.close();
      }
      return true;
    } finally {
      opening.unlock();
    }
  }

  void close() {
    opening.lock();
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      opening.unlock();
    }
  }

  /** The failure and its causes' messages, which name the host and port but not the password. */
  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }
}

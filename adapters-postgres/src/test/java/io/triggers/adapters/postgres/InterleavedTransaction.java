package io.triggers.adapters.postgres;

import io.triggers.core.model.EventId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A transaction on a test connection of its own, interleaved with the adapter's statements: it
 * takes locks, lets the adapter run on another thread until the adapter waits for one of them, and
 * goes on. Its {@code deadlock_timeout} decides which of the two PostgreSQL aborts should they wait
 * for each other: {@link #victim} is checked first, so a deadlock fails the test through it.
 */
final class InterleavedTransaction implements AutoCloseable {

  /** What an acknowledgement does first: marks the event delivered, which locks it. */
  private static final String ACKNOWLEDGE_EVENT =
      "UPDATE events SET delivery_status = 'delivered', delivered_at = now(),"
          + " next_attempt_at = NULL WHERE id = ?";

  /** What an acknowledgement does next: ends the event's deliveries. */
  private static final String END_DELIVERIES =
      "UPDATE deliveries SET status = 'delivered', delivered_at = now(),"
          + " next_attempt_at = NULL WHERE event_id = ?";

  private static final String LOCK_EVENT = "SELECT 1 FROM events WHERE id = ? FOR UPDATE";

  private final PostgresSettings settings;
  private final Connection connection;

  private InterleavedTransaction(PostgresSettings settings, Connection connection) {
    this.settings = settings;
    this.connection = connection;
  }

  /** A transaction that PostgreSQL aborts, not the adapter's, should the two deadlock. */
  static InterleavedTransaction victim(PostgresSettings settings) throws SQLException {
    return begin(settings, Duration.ofMillis(100));
  }

  /**
   * A transaction that outwaits the adapter's: should the two deadlock, the adapter's statement is
   * the one PostgreSQL aborts.
   */
  static InterleavedTransaction survivor(PostgresSettings settings) throws SQLException {
    return begin(settings, Duration.ofSeconds(20));
  }

  private static InterleavedTransaction begin(PostgresSettings settings, Duration deadlockTimeout)
      throws SQLException {
    Connection connection = TestDatabase.connect(settings);
    try {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL deadlock_timeout = '" + deadlockTimeout.toMillis() + "ms'");
      }
      return new InterleavedTransaction(settings, connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Runs {@code sql} with {@code parameters} in the transaction and answers how many rows it
   * changed, or returned.
   */
  int run(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      if (!statement.execute()) {
        return statement.getUpdateCount();
      }
      int rows = 0;
      try (ResultSet rs = statement.getResultSet()) {
        while (rs.next()) {
          rows++;
        }
      }
      return rows;
    }
  }

  /** Locks the event's row, as a transaction that goes on to change it or its deliveries does. */
  void lockEvent(EventId event) throws SQLException {
    if (run(LOCK_EVENT, event.value()) != 1) {
      throw new AssertionError("no event " + event + " to lock");
    }
  }

  /** Marks the event delivered, as an acknowledgement does first; this locks it. */
  void acknowledgeEvent(EventId event) throws SQLException {
    if (run(ACKNOWLEDGE_EVENT, event.value()) != 1) {
      throw new AssertionError("no event " + event + " to acknowledge");
    }
  }

  /** Ends the event's deliveries, as an acknowledgement does after the event; answers how many. */
  int endDeliveries(EventId event) throws SQLException {
    return run(END_DELIVERIES, event.value());
  }

  /**
   * Starts {@code work} on another thread and returns once it waits for a lock, which this
   * transaction holds.
   */
  <T> CompletableFuture<T> startWaiting(Supplier<T> work) throws Exception {
    return startedUntilWaiting(settings, work);
  }

  /**
   * Starts {@code work} on another thread and returns once one of the server's sessions waits for a
   * lock, as {@code work} should.
   */
  static <T> CompletableFuture<T> startedUntilWaiting(PostgresSettings settings, Supplier<T> work)
      throws Exception {
    CompletableFuture<T> started = CompletableFuture.supplyAsync(work);
    try (Connection watcher = TestDatabase.connect(settings);
        Statement watch = watcher.createStatement()) {
      if (!TableLock.awaitSessionsWaiting(watch, 1)) {
        throw new AssertionError("the work never waited for a lock");
      }
    }
    return started;
  }

  void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}

package io.triggers.adapters.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds a lock that blocks inserts into the events table, so that appends queue up behind the
 * writers and are then committed in few, full batches.
 */
final class TableLock implements AutoCloseable {

  private final Connection connection;

  private TableLock(Connection connection) {
    this.connection = connection;
  }

  static TableLock on(PostgresSettings settings) throws SQLException {
    Connection connection = TestDatabase.connect(settings);
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE events IN SHARE MODE");
    }
    return new TableLock(connection);
  }

  /** Releases the lock once a writer is blocked by it, so the appends behind it have queued. */
  void releaseWhenAWriterWaits() throws SQLException, InterruptedException {
    try (Statement statement = connection.createStatement()) {
      if (!awaitSessionsWaiting(statement, 1)) {
        throw new AssertionError("no writer blocked on the events table");
      }
    }
    connection.commit();
  }

  /**
   * Waits, for up to half a minute, until at least {@code sessions} of the server's own sessions
   * wait on a lock; false if they never do.
   */
  static boolean awaitSessionsWaiting(Statement statement, int sessions)
      throws SQLException, InterruptedException {
    for (int round = 0; round < 3_000; round++) {
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT count(*) FROM pg_stat_activity"
                  + " WHERE application_name = 'triggers' AND wait_event_type = 'Lock'"
                  + " AND datname = current_database()")) {
        rs.next();
        if (rs.getInt(1) >= sessions) {
          return true;
        }
      }
      Thread.sleep(10);
    }
    return false;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}

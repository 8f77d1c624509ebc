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
      for (int round = 0; round < 1_000; round++) {
        try (ResultSet rs =
            statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'triggers' AND wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            connection.commit();
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("no writer blocked on the events table");
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}

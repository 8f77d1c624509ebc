package io.triggers.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Connections borrowed from the host's pool, each set to Triggers' schema and to synchronous
 * commits while Triggers holds it, and given back as the host lent it: the host's own statements on
 * the same pooled connection later must find their own tables and durability.
 */
final class HostConnections implements ConnectionFactory {

  private static final String READ =
      "SELECT current_setting('search_path'), current_setting('synchronous_commit')";
  private static final String WRITE =
      "SELECT set_config('search_path', ?, false), set_config('synchronous_commit', ?, false)";

  private record Lent(String searchPath, String synchronousCommit, boolean autoCommit) {}

  private final DataSource host;
  private final PostgresAvailability availability;
  private final String searchPath;
  private final Map<Connection, Lent> lent = new ConcurrentHashMap<>();

  HostConnections(DataSource host, PostgresAvailability availability, PostgresSchema schema) {
    this.host = host;
    this.availability = availability;
    this.searchPath = schema.name();
  }

  @Override
  public Connection openConnection() throws SQLException {
    Connection connection = availability.connect(host::getConnection);
    try {
      // A session setting made inside a transaction that is rolled back would be undone with it,
      // so the settings are made, and later restored, outside any transaction.
      boolean autoCommit = connection.getAutoCommit();
      if (!autoCommit) {
        connection.setAutoCommit(true);
      }
      Lent before;
      try (PreparedStatement read = connection.prepareStatement(READ);
          ResultSet result = read.executeQuery()) {
        result.next();
        before = new Lent(result.getString(1), result.getString(2), autoCommit);
      }
      write(connection, searchPath, "on");
      lent.put(connection, before);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    Lent before = lent.remove(connection);
    try (connection) {
      if (before != null && !connection.isClosed()) {
        connection.setAutoCommit(true);
        write(connection, before.searchPath(), before.synchronousCommit());
        connection.setAutoCommit(before.autoCommit());
      }
    }
  }

  private static void write(Connection connection, String searchPath, String synchronousCommit)
      throws SQLException {
    try (PreparedStatement write = connection.prepareStatement(WRITE)) {
      write.setString(1, searchPath);
      write.setString(2, synchronousCommit);
      write.executeQuery().close();
    }
  }
}

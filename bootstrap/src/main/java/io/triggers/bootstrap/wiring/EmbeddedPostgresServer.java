package io.triggers.bootstrap.wiring;

import io.triggers.bootstrap.config.ConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zero-configuration database: a PostgreSQL server run by this process, its data kept in a
 * directory across restarts, with commits flushed to disk like any production server.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  static EmbeddedPostgresServer start(Path dataDir) {
    Path dataDirectory = dataDir.resolve("postgres").toAbsolutePath();
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot create the data directory " + dataDirectory + ": " + e.getMessage());
    }
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // The library's default turns synchronous commit off; a 202 must mean on disk.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100")
              .start();
      return new EmbeddedPostgresServer(postgres, dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
    }
  }

  /** A JDBC URL of the running server, with its superuser. */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}

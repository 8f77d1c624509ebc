package io.triggers.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PostgreSQL of its own for a server to use as an external database, on a data directory that
 * outlives it, so that a test can stop it and start it again where the server expects it.
 */
final class ExternalPostgres {

  private ExternalPostgres() {}

  /**
   * Starts PostgreSQL on {@code dataDirectory}, keeping what is there, on {@code port} (0: any).
   */
  static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setServerConfig("max_connections", "100");
    if (port != 0) {
      builder.setPort(port);
    }
    return builder.start();
  }
}

package io.triggers.bootstrap.wiring;

import io.triggers.adapters.postgres.PostgresDatabase;
import io.triggers.adapters.postgres.embedded.EmbeddedPostgresServer;
import io.triggers.bootstrap.config.Settings;
import java.util.Optional;

/**
 * The {@code --migrate-only} command: migrates the schema of the database the settings name, the
 * embedded one started and stopped for it, without building the rest of the server.
 */
public final class SchemaMigration {

  private SchemaMigration() {}

  /**
   * Migrates, then closes everything it opened; safe to repeat, and to run while other nodes start,
   * since migrations run under a PostgreSQL advisory lock.
   *
   * @return how many migrations were applied; 0 when the schema was already current
   * @throws io.triggers.bootstrap.config.ConfigurationException if the settings cannot be used,
   *     such as a data directory in use by a running server
   * @throws io.triggers.core.model.StorageUnavailableException if the database cannot be reached
   */
  public static int run(Settings settings) {
    try (Resources resources = new Resources()) {
      Optional<EmbeddedPostgresServer> embedded =
          StorageModule.embeddedPostgres(Mode.of(settings), settings, resources);
      return PostgresDatabase.migrate(StorageModule.postgresSettings(embedded, settings));
    }
  }
}

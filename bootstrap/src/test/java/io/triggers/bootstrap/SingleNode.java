package io.triggers.bootstrap;

import io.triggers.bootstrap.config.SettingsParser;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** A server in single-node mode (no Redis), started as an operator would configure it. */
final class SingleNode {

  private SingleNode() {}

  /** Starts a server on a free port, on the given PostgreSQL and data directory. */
  static TriggersApplication start(String databaseUrl, Path dataDir) {
    TriggersApplication server =
        Triggers.create(
            SettingsParser.parse(
                Map.of(
                    "TRIGGERS_HOST",
                    "127.0.0.1",
                    "TRIGGERS_PORT",
                    "0",
                    "TRIGGERS_DATA_DIR",
                    dataDir.toString(),
                    "TRIGGERS_DATABASE_URL",
                    databaseUrl),
                List.of()),
            Clock.systemUTC());
    server.start();
    return server;
  }
}

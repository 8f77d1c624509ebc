package io.triggers.bootstrap.wiring;

import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;

/** How this node keeps its state, chosen by configuration alone; the code is the same. */
public enum Mode {
  IN_MEMORY("in-memory (single node, nothing survives a restart)");

  private final String description;

  Mode(String description) {
    this.description = description;
  }

  /** How the start-up line names the mode. */
  public String description() {
    return description;
  }

  static Mode of(Settings settings) {
    if (settings.databaseUrl().isPresent()) {
      throw new ConfigurationException(
          "TRIGGERS_DATABASE_URL is set, but this build has no PostgreSQL adapter yet");
    }
    if (settings.redisUrl().isPresent()) {
      throw new ConfigurationException(
          "TRIGGERS_REDIS_URL is set, but this build has no Redis adapter yet");
    }
    return IN_MEMORY;
  }
}

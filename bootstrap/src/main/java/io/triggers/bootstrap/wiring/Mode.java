package io.triggers.bootstrap.wiring;

import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;

/** How this node keeps its state, chosen by configuration alone; the code is the same. */
public enum Mode {
  /** No configuration: PostgreSQL run by this process, in-process limits, dedup and queue. */
  EMBEDDED("embedded (PostgreSQL in the data directory; one node)"),
  /** {@code TRIGGERS_DATABASE_URL}: an external PostgreSQL, in-process limits, dedup and queue. */
  SINGLE_NODE("single node (external PostgreSQL)"),
  /** Database and Redis URLs: limits, dedup and queue shared through Redis by every node. */
  CLUSTER("cluster (external PostgreSQL and Redis)");

  private final String description;

  Mode(String description) {
    this.description = description;
  }

  /** How the start-up line names the mode. */
  public String description() {
    return description;
  }

  static Mode of(Settings settings) {
    if (settings.redisUrl().isPresent() && settings.databaseUrl().isEmpty()) {
      throw new ConfigurationException(
          "TRIGGERS_REDIS_URL needs TRIGGERS_DATABASE_URL too: nodes that share Redis must share"
              + " one PostgreSQL");
    }
    if (settings.databaseUrl().isEmpty()) {
      return EMBEDDED;
    }
    return settings.redisUrl().isPresent() ? CLUSTER : SINGLE_NODE;
  }
}

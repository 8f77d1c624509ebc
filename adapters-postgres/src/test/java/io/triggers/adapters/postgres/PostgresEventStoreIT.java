package io.triggers.adapters.postgres;

import io.triggers.core.port.out.EventStore;
import io.triggers.core.testing.EventStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresEventStoreIT extends EventStoreContract {

  private static PostgresSettings settings;
  private static PostgresDatabase database;

  @BeforeAll
  static void start() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Override
  protected void clearState() {
    TestDatabase.truncate(settings);
  }

  @Override
  protected EventStore newStore() {
    return database.eventStore();
  }
}

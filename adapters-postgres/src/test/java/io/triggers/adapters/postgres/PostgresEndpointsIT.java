package io.triggers.adapters.postgres;

import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.testing.EndpointsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresEndpointsIT extends EndpointsContract {

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
  protected Endpoints newEndpoints() {
    return database.endpoints();
  }

  @Override
  protected Organizations organizations() {
    return database.organizations();
  }
}

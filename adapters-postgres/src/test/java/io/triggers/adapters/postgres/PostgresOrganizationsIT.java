package io.triggers.adapters.postgres;

import io.triggers.core.port.out.Organizations;
import io.triggers.core.testing.OrganizationsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresOrganizationsIT extends OrganizationsContract {

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
  protected Organizations newOrganizations() {
    return database.organizations();
  }
}

package io.triggers.adapters.postgres;

import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.DeliveryBacklog;
import io.triggers.core.port.out.LeaseBacklog;
import io.triggers.core.testing.EventStorage;

/**
 * One database for the event store's contract tests, started on a schema of its own by the first of
 * them and closed when the test JVM exits, so that the three pay for one start.
 */
final class SharedEventStorage {

  private static PostgresSettings settings;
  private static PostgresDatabase database;

  private SharedEventStorage() {}

  /** The four ports of the shared database, started on first use. */
  static synchronized EventStorage storage() {
    if (database == null) {
      settings = TestDatabase.freshSchema();
      database = PostgresDatabase.start(settings);
      PostgresDatabase started = database;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(started::close, "close-shared-event-storage"));
    }
    return new EventStorage(
        database.events(),
        database.inbox(),
        database.deliveries(),
        database.leases(),
        database.endpoints(),
        database.organizations());
  }

  /** The delivery backlog over the same database, started on first use. */
  static synchronized DeliveryBacklog backlog() {
    storage();
    return database.backlog();
  }

  /** The lease counts over the same database, started on first use. */
  static synchronized LeaseBacklog leaseBacklog() {
    storage();
    return database.leaseBacklog();
  }

  /** The attempt log over the same database, started on first use. */
  static synchronized AttemptLog attempts() {
    storage();
    return database.attempts();
  }

  /** Empties the shared database's tables; starts it first if need be. */
  static synchronized void clear() {
    storage();
    TestDatabase.truncate(settings);
  }
}

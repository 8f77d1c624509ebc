package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.Health;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PostgresDatabaseIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void migratesOnceWhenTwoNodesStartAtTheSameMoment() throws Exception {
    for (int round = 0; round < 3; round++) {
      // given an empty schema
      PostgresSettings settings = TestDatabase.freshSchema();
      CountDownLatch go = new CountDownLatch(1);

      // when two nodes start on it at once
      List<PostgresDatabase> nodes = new ArrayList<>();
      try (ExecutorService starters = Executors.newFixedThreadPool(2)) {
        List<Future<PostgresDatabase>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          starting.add(
              starters.submit(
                  () -> {
                    go.await();
                    return PostgresDatabase.start(settings);
                  }));
        }
        go.countDown();
        for (Future<PostgresDatabase> node : starting) {
          nodes.add(node.get());
        }
      }

      // then both run, and each migration was applied exactly once
      try {
        OrganizationId organization = TestEvents.newOrganization();
        for (PostgresDatabase node : nodes) {
          Event event = TestEvents.event(organization, NOW);
          assertThat(node.events().append(List.of(event), DeliveryMethod.PULL).getFirst())
              .isEqualTo(new AppendResult.Stored(event));
        }
        assertThat(
                queryLong(
                    settings,
                    "SELECT count(*) - count(DISTINCT version) FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL"))
            .isZero();
        assertThat(
                queryLong(
                    settings,
                    "SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"))
            .isEqualTo(1);
      } finally {
        nodes.forEach(PostgresDatabase::close);
      }
    }
  }

  @Test
  void keepsEventsAndOrganizationsAcrossCloseAndReopen() {
    // given
    PostgresSettings settings = TestDatabase.freshSchema();
    ApiKey key = new ApiKey("trg_reopen-test-key");
    Organization organization =
        new Organization(
            new OrganizationId(UUID.randomUUID()), new OrganizationName("Acme"), Tier.PRO, NOW);
    Event event = TestEvents.event(organization.id(), "kept", NOW);
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {
      database.organizations().create(organization, key.hash());
      database.events().append(List.of(event), DeliveryMethod.PULL).getFirst();
    }

    // when
    try (PostgresDatabase reopened = PostgresDatabase.start(settings)) {

      // then
      assertThat(reopened.events().find(organization.id(), event.id()))
          .hasValueSatisfying(stored -> assertThat(stored.event()).isEqualTo(event));
      assertThat(reopened.organizations().authenticate(key.hash())).contains(organization);
      assertThat(
              reopened
                  .events()
                  .append(
                      List.of(TestEvents.event(organization.id(), "kept", NOW)),
                      DeliveryMethod.PULL)
                  .getFirst())
          .isEqualTo(new AppendResult.Duplicate(event.id()));
    }
  }

  @Test
  void closingCommitsAppendsAlreadyWaitingAndRefusesLaterOnes() throws Exception {
    // given appends waiting behind a lock on the events table
    PostgresSettings settings = TestDatabase.freshSchema();
    PostgresDatabase database = PostgresDatabase.start(settings);
    OrganizationId organization = TestEvents.newOrganization();
    List<Event> events = new ArrayList<>();
    List<CompletableFuture<AppendResult>> answers = new ArrayList<>();
    try (TableLock lock = TableLock.on(settings)) {
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Event event = TestEvents.event(organization, NOW);
        CompletableFuture<AppendResult> answer = new CompletableFuture<>();
        events.add(event);
        answers.add(answer);
        callers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        answer.complete(
                            database
                                .events()
                                .append(List.of(event), DeliveryMethod.PULL)
                                .getFirst());
                      } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                      }
                    }));
      }
      awaitWaiting(callers);

      // when the database is closed while they wait
      Thread closer = Thread.ofPlatform().start(database::close);
      awaitWaiting(List.of(closer));
      lock.releaseWhenAWriterWaits();
      closer.join();
    }

    // then each waiting append was committed, and a later one is refused
    for (int i = 0; i < events.size(); i++) {
      assertThat(answers.get(i).get()).isEqualTo(new AppendResult.Stored(events.get(i)));
    }
    assertThat(queryLong(settings, "SELECT count(*) FROM events")).isEqualTo(events.size());
    assertThatThrownBy(
            () ->
                database
                    .events()
                    .append(List.of(TestEvents.event(organization, NOW)), DeliveryMethod.PULL)
                    .getFirst())
        .isInstanceOf(StorageUnavailableException.class);
  }

  /** Waits until every thread is parked, which for these threads means blocked on the store. */
  private static void awaitWaiting(List<Thread> threads) throws InterruptedException {
    for (int round = 0; round < 1_000; round++) {
      if (threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("threads did not block on the store");
  }

  @Test
  void retentionDeletesOnlyOldEventsInBoundedBatches() throws Exception {
    // given 250 events older than the cutoff and 50 newer ones
    PostgresSettings settings = TestDatabase.freshSchema();
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {
      OrganizationId organization = TestEvents.newOrganization();
      Instant cutoff = NOW.minus(Duration.ofDays(7));
      List<Event> old = new ArrayList<>();
      List<Event> recent = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        old.add(
            TestEvents.event(organization, "old-" + i, cutoff.minus(Duration.ofMinutes(i + 1))));
      }
      for (int i = 0; i < 50; i++) {
        recent.add(TestEvents.event(organization, "recent-" + i, cutoff.plusSeconds(i)));
      }
      database.events().append(old, DeliveryMethod.PULL);
      database.events().append(recent, DeliveryMethod.PULL);

      // when deleting in batches of at most 100 until nothing is left to delete
      List<Integer> deleted = new ArrayList<>();
      int count;
      do {
        count = database.events().deleteCreatedBefore(cutoff, 100);
        deleted.add(count);
      } while (count > 0);

      // then
      assertThat(deleted).containsExactly(100, 100, 50, 0);
      assertThat(queryLong(settings, "SELECT count(*) FROM events")).isEqualTo(50);
      for (Event event : recent) {
        assertThat(database.events().find(organization, event.id())).isPresent();
      }
      // and the dedup id of a deleted event can be used again
      Event reused = TestEvents.event(organization, "old-0", NOW);
      assertThat(database.events().append(List.of(reused), DeliveryMethod.PULL).getFirst())
          .isEqualTo(new AppendResult.Stored(reused));
    }
  }

  @Test
  void healthCheckIsUpWhenTheDatabaseAnswers() {
    try (PostgresDatabase database = PostgresDatabase.start(TestDatabase.freshSchema())) {
      assertThat(database.healthCheck().name()).isEqualTo("postgres");
      assertThat(database.healthCheck().check()).isEqualTo(Health.up());
    }
  }

  @Test
  void startingWithoutAReachableServerFailsAsStorageUnavailable() throws Exception {
    // given a port nobody listens on
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresSettings settings =
        PostgresSettings.fromUrl("postgres://nobody:secret@127.0.0.1:" + port + "/triggers");

    // when / then
    assertThatThrownBy(() -> PostgresDatabase.start(settings))
        .isInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void migratesOnItsOwnOnceAndLeavesASchemaANodeStartsOn() throws Exception {
    // given an empty schema
    PostgresSettings settings = TestDatabase.freshSchema();

    // when it is migrated twice
    int first = PostgresDatabase.migrate(settings);
    int second = PostgresDatabase.migrate(settings);

    // then the first applied every migration, the second none, and a node finds it current
    assertThat(first).isPositive();
    assertThat(second).isZero();
    assertThat(queryLong(settings, "SELECT count(*) FROM flyway_schema_history WHERE success"))
        .isEqualTo(first);
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {
      assertThat(database.healthCheck().check()).isEqualTo(Health.up());
    }
    assertThat(queryLong(settings, "SELECT count(*) FROM flyway_schema_history WHERE success"))
        .isEqualTo(first);
  }

  @Test
  void migratingWithoutAReachableServerFailsAsStorageUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresSettings settings =
        PostgresSettings.fromUrl("postgres://nobody:secret@127.0.0.1:" + port + "/triggers");

    assertThatThrownBy(() -> PostgresDatabase.migrate(settings))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("PostgreSQL is unavailable");
  }

  private static long queryLong(PostgresSettings settings, String sql) throws SQLException {
    try (Connection connection = TestDatabase.connect(settings);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

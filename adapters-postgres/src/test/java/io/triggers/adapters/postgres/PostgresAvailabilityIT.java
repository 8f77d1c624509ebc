package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.out.EventLog;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The availability gate against a real PostgreSQL that is slow, not down. */
class PostgresAvailabilityIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** The smallest pool the settings allow: one connection beyond the group commit writers. */
  private static final int POOL_SIZE = GroupCommitter.WRITERS + 1;

  @Test
  void staysOpenWhenThePoolIsExhaustedByASlowDatabase() throws Exception {
    // given a database whose every pooled connection waits on a locked table
    PostgresSettings base = TestDatabase.freshSchema();
    PostgresSettings settings =
        new PostgresSettings(
            base.jdbcUrl(),
            base.user(),
            base.password(),
            POOL_SIZE,
            base.maxBatchSize(),
            base.maxLinger());
    try (PostgresDatabase database = PostgresDatabase.start(settings);
        Connection locker = TestDatabase.connect(settings)) {
      EventLog store = database.events();
      OrganizationId organization = TestEvents.newOrganization();
      Event stored = TestEvents.event(organization, "stored", NOW);
      store.append(List.of(stored), DeliveryMethod.PULL).getFirst();
      AtomicBoolean everDown = new AtomicBoolean();
      Thread watcher =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      if (database.availability().isDown()) {
                        everDown.set(true);
                      }
                      try {
                        Thread.sleep(1);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      locker.setAutoCommit(false);
      try (Statement statement = locker.createStatement()) {
        statement.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
      }
      List<CompletableFuture<Boolean>> blocked = new ArrayList<>();
      for (int i = 0; i < POOL_SIZE; i++) {
        blocked.add(
            CompletableFuture.supplyAsync(
                () -> store.find(organization, stored.id()).isPresent(),
                command -> Thread.ofVirtual().start(command)));
      }

      awaitSessionsWaitingOnALock(settings, POOL_SIZE);

      // when one more caller times out waiting for a connection
      assertThatThrownBy(() -> store.find(organization, stored.id()))
          .isInstanceOf(StorageUnavailableException.class);

      // then the probe still reaches the server, so the database is not taken for down
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (database.availability().isProbing() && System.nanoTime() - deadline < 0) {
        Thread.sleep(10);
      }
      assertThat(database.availability().isProbing()).isFalse();
      assertThat(database.availability().isDown()).isFalse();

      // and once the lock goes, every waiting caller is served, as is the next one
      locker.commit();
      for (CompletableFuture<Boolean> answer : blocked) {
        assertThat(answer.get()).isTrue();
      }
      assertThat(store.find(organization, stored.id())).isPresent();
      watcher.interrupt();
      watcher.join();
      assertThat(everDown).as("taken for down at some point").isFalse();
    }
  }

  private static void awaitSessionsWaitingOnALock(PostgresSettings settings, int sessions)
      throws Exception {
    try (Connection connection = TestDatabase.connect(settings);
        Statement statement = connection.createStatement()) {
      if (!TableLock.awaitSessionsWaiting(statement, sessions)) {
        throw new AssertionError("the pooled connections did not all block on the lock");
      }
    }
  }
}

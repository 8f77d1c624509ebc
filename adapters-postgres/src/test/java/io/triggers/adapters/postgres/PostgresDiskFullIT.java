package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.Health;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a PostgreSQL server whose data directory lives on a small filesystem of its own, fills that
 * filesystem, and frees it again under a running {@link PostgresDatabase}.
 */
class PostgresDiskFullIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path mountPoint;

  private SmallFilesystem filesystem;
  private EmbeddedPostgres server;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    assumeTrue(TestDatabase.isEmbedded(), "only an embedded server can be put on a small disk");
    filesystem = SmallFilesystem.mount(mountPoint);
  }

  @AfterEach
  void unmount() throws Exception {
    if (server != null) {
      server.close();
    }
    if (filesystem != null) {
      filesystem.unmount();
    }
  }

  @Test
  void refusesAppendsAsUnavailableWhileTheDiskIsFullAndAcceptsThemOnceSpaceReturns()
      throws Exception {
    // given a database on a small filesystem, and a filler file that takes all of its free space
    server = filesystem.startPostgres(0);
    try (PostgresDatabase database =
        PostgresDatabase.start(
            PostgresSettings.fromUrl(server.getJdbcUrl("postgres", "postgres")))) {
      EventLog store = database.events();
      OrganizationId organization = TestEvents.newOrganization();
      List<Event> stored = new ArrayList<>();
      Event first = TestEvents.event(organization, "first", NOW);
      assertThat(store.append(List.of(first), DeliveryMethod.PULL).getFirst())
          .isEqualTo(new AppendResult.Stored(first));
      stored.add(first);
      filesystem.fill();

      // when events keep coming
      List<StorageUnavailableException> refusals = new ArrayList<>();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (refusals.size() < 20 && System.nanoTime() < deadline) {
        Event event = TestEvents.event(organization, NOW);
        try {
          AppendResult result = store.append(List.of(event), DeliveryMethod.PULL).getFirst();
          assertThat(result).isEqualTo(new AppendResult.Stored(event));
          stored.add(event);
        } catch (StorageUnavailableException e) {
          refusals.add(e);
        }
      }

      // then they are refused as unavailable, and readiness says why
      assertThat(refusals).as("appends refused on a full disk").hasSize(20);
      assertThat(refusals.get(0)).hasMessageContaining("disk full");
      assertThat(database.healthCheck().check())
          .isEqualTo(new Health(Health.Status.DOWN, "disk full"));

      // when space returns
      filesystem.free();

      // then appends succeed again on the same database, and every stored event is there
      Event after = TestEvents.event(organization, "after", NOW);
      assertThat(appendOnceItSucceeds(store, after)).isEqualTo(new AppendResult.Stored(after));
      stored.add(after);
      for (Event event : stored) {
        assertThat(store.find(organization, event.id())).as("event %s", event.id()).isPresent();
      }
      awaitReady(database);
    }
  }

  @Test
  void comesBackWhenPostgresqlPanicsForWantOfRoomForItsWal() throws Exception {
    // given a database on a full filesystem whose WAL has just moved on to a segment not yet made
    server = filesystem.startPostgres(0);
    int port = server.getPort();
    PostgresSettings settings = PostgresSettings.fromUrl(server.getJdbcUrl("postgres", "postgres"));
    try (PostgresDatabase database = PostgresDatabase.start(settings)) {
      EventLog store = database.events();
      OrganizationId organization = TestEvents.newOrganization();
      List<Event> stored = new ArrayList<>();
      Event first = TestEvents.event(organization, "first", NOW);
      assertThat(store.append(List.of(first), DeliveryMethod.PULL).getFirst())
          .isEqualTo(new AppendResult.Stored(first));
      stored.add(first);
      filesystem.fill();
      try (Connection connection = TestDatabase.connect(settings);
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_switch_wal()");
      }

      // when events keep coming
      List<StorageUnavailableException> refusals = new ArrayList<>();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (refusals.size() < 20 && System.nanoTime() < deadline) {
        Event event = TestEvents.event(organization, NOW);
        try {
          assertThat(store.append(List.of(event), DeliveryMethod.PULL).getFirst())
              .isEqualTo(new AppendResult.Stored(event));
          stored.add(event);
        } catch (StorageUnavailableException e) {
          refusals.add(e);
        }
      }

      // then they are refused as unavailable, never as a failure, and the node is not ready
      assertThat(refusals).as("appends refused while the WAL cannot grow").hasSize(20);
      Health health = database.healthCheck().check();
      assertThat(health.status()).isEqualTo(Health.Status.DOWN);
      assertThat(health.detail()).contains("disk full");

      // when space returns, and the server is started again if it gave up (PostgreSQL 14 does:
      // its crash recovery cannot write the end-of-recovery checkpoint, so the postmaster exits)
      filesystem.free();
      if (!answers(settings)) {
        server.close();
        server = filesystem.startPostgres(port);
      }

      // then the same database accepts appends again, and every stored event is there
      Event after = TestEvents.event(organization, "after", NOW);
      assertThat(appendOnceItSucceeds(store, after)).isEqualTo(new AppendResult.Stored(after));
      stored.add(after);
      for (Event event : stored) {
        assertThat(store.find(organization, event.id())).as("event %s", event.id()).isPresent();
      }
      awaitReady(database);
    }
  }

  private static boolean answers(PostgresSettings settings) {
    try (Connection connection = TestDatabase.connect(settings)) {
      return connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static AppendResult appendOnceItSucceeds(EventLog store, Event event)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        return store.append(List.of(event), DeliveryMethod.PULL).getFirst();
      } catch (StorageUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("appends did not recover once space returned", e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static void awaitReady(PostgresDatabase database) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!database.healthCheck().check().equals(Health.up())) {
      assertThat(System.nanoTime()).as("readiness did not recover").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}

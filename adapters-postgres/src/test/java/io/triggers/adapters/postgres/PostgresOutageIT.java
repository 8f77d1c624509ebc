package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.Health;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.triggers.core.testing.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stops and restarts a PostgreSQL server of its own under a running {@link PostgresDatabase}. */
class PostgresOutageIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void appendsFailAsUnavailableWhileTheServerIsDownAndSucceedAgainOnceItIsBack(
      @TempDir Path dataDirectory) throws Exception {
    assumeTrue(TestDatabase.isEmbedded(), "only an embedded server can be stopped by the test");

    // given a running database with one stored event
    int port = FreePorts.belowEphemeralRange();
    EmbeddedPostgres server = startServer(port, dataDirectory);
    try (PostgresDatabase database =
        PostgresDatabase.start(
            PostgresSettings.fromUrl(server.getJdbcUrl("postgres", "postgres")))) {
      EventLog store = database.events();
      OrganizationId organization = TestEvents.newOrganization();
      Event before = TestEvents.event(organization, "before", NOW);
      assertThat(store.append(List.of(before), DeliveryMethod.PULL).getFirst())
          .isEqualTo(new AppendResult.Stored(before));

      // when the server stops
      server.close();

      // then appends and reads fail as unavailable, never as a false success, and it is not ready
      Event during = TestEvents.event(organization, "during", NOW);
      assertThatThrownBy(() -> store.append(List.of(during), DeliveryMethod.PULL).getFirst())
          .isInstanceOf(StorageUnavailableException.class)
          .hasCauseInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> store.find(organization, before.id()))
          .isInstanceOf(StorageUnavailableException.class);
      assertThat(database.healthCheck().check().status()).isEqualTo(Health.Status.DOWN);

      // and once the probe has confirmed it, readiness says why and callers fail at once
      awaitUntil(() -> database.healthCheck().check().detail().equals("unreachable"));
      assertThatThrownBy(() -> store.find(organization, before.id()))
          .isInstanceOf(StorageUnavailableException.class)
          .hasStackTraceContaining("PostgreSQL is down: unreachable");

      // when it is back
      server = startServer(port, dataDirectory);

      // then appends succeed again on the same PostgresDatabase
      Event after = TestEvents.event(organization, "after", NOW);
      assertThat(appendOnceReconnected(store, after)).isEqualTo(new AppendResult.Stored(after));
      assertThat(store.find(organization, before.id())).isPresent();
      assertThat(store.find(organization, during.id())).isEmpty();
      assertThat(database.healthCheck().check()).isEqualTo(Health.up());
    } finally {
      server.close();
    }
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited too long").isNegative();
      Thread.sleep(20);
    }
  }

  /** The pool may still hand out connections that died with the old server; those fail fast. */
  private static AppendResult appendOnceReconnected(EventLog store, Event event)
      throws InterruptedException {
    StorageUnavailableException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        return store.append(List.of(event), DeliveryMethod.PULL).getFirst();
      } catch (StorageUnavailableException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("appends did not recover after the server came back", last);
  }

  private static EmbeddedPostgres startServer(int port, Path dataDirectory) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .start();
  }
}

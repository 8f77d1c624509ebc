package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims are planned with each batch's values, never from a plan PostgreSQL keeps for a prepared
 * statement: one made while the table was small would read the whole table at any size.
 */
class DeliveryLedgerPlanningIT {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(1);

  /** More than the driver's executions before it prepares a statement on the server (five). */
  private static final int CLAIMS = 12;

  private PostgresSettings settings;
  private PostgresDatabase database;
  private EventLog store;
  private final Fixtures fixtures = new Fixtures(new MutableClock(START));
  private final Organization owner = fixtures.organization();
  private final OrganizationId organization = owner.id();

  @BeforeEach
  void start() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    store = database.events();
    database.organizations().create(owner, fixtures.ids().newApiKey().hash());
    database.endpoints().create(organization, fixtures.endpoint());
  }

  @AfterEach
  void stop() {
    database.close();
  }

  @Test
  void aClaimRunOverAndOverIsNeverPreparedOnTheServer() throws Exception {
    // given
    Jdbi jdbi =
        Jdbi.create(settings.jdbcUrl(), settings.user(), settings.password())
            .registerArrayType(UUID.class, "uuid")
            .registerArrayType(String.class, "text");

    try (Handle handle = jdbi.open()) {
      // when
      int claimed = 0;
      for (int i = 0; i < CLAIMS; i++) {
        Event event = TestEvents.event(organization, START.plusSeconds(i));
        AppendResult.Stored stored =
            (AppendResult.Stored) store.append(List.of(event), DeliveryMethod.PUSH).getFirst();
        Instant now = event.createdAt().plusSeconds(1);
        DeliveryClaims.Claim claim =
            new DeliveryClaims.Claim(
                new DeliveryKey(organization, event.id(), stored.dueTo().getFirst()),
                now,
                now.plus(LEASE));
        claimed += DeliveryClaims.claim(handle, List.of(claim)).getFirst().isPresent() ? 1 : 0;
      }
      List<String> prepared =
          handle
              .createQuery("SELECT statement FROM pg_prepared_statements")
              .mapTo(String.class)
              .list();

      // then
      assertThat(claimed).isEqualTo(CLAIMS);
      assertThat(prepared).noneMatch(sql -> sql.contains("UPDATE deliveries"));
    }
  }
}

package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.EventLog.AppendResult;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claim writes only its lease, a column no index reads, so PostgreSQL updates the row in place (a
 * HOT update): no index entry is written for it.
 */
class DeliveryClaimHotIT {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final int CLAIMS = 20;

  /** The updates of the deliveries table so far, all and HOT, as the statistics have them. */
  private static final String UPDATES =
      "SELECT n_tup_upd * 1000000 + n_tup_hot_upd FROM pg_stat_user_tables"
          + " WHERE relid = 'deliveries'::regclass";

  private PostgresSettings settings;
  private PostgresDatabase database;
  private final Fixtures fixtures = new Fixtures(new MutableClock(START));
  private final Organization owner = fixtures.organization();
  private final OrganizationId organization = owner.id();

  @BeforeEach
  void start() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    database.organizations().create(owner, fixtures.ids().newApiKey().hash());
    database.endpoints().create(organization, fixtures.endpoint());
  }

  @AfterEach
  void stop() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void everyClaimIsAHotUpdate() throws Exception {
    // given
    for (int i = 0; i < CLAIMS; i++) {
      Event event = TestEvents.event(organization, START.plusSeconds(i));
      AppendResult.Stored stored =
          (AppendResult.Stored)
              database.events().append(List.of(event), DeliveryMethod.PUSH).getFirst();
      Instant now = event.createdAt().plusSeconds(1);

      // when
      assertThat(
              database
                  .deliveries()
                  .claim(
                      organization,
                      event.id(),
                      stored.dueTo().getFirst(),
                      now,
                      now.plus(Duration.ofMinutes(1))))
          .isPresent();
    }

    // then: a connection that ends sends its statistics
    database.close();
    database = null;
    long updates = 0;
    for (int wait = 0; wait < 300 && updates / 1_000_000 < CLAIMS; wait++) {
      Thread.sleep(100);
      updates = TestDatabase.count(url(), UPDATES);
    }
    assertThat(updates / 1_000_000).isEqualTo(CLAIMS);
    assertThat(updates % 1_000_000).as("HOT updates").isEqualTo(CLAIMS);
  }

  private String url() {
    return settings.user().isEmpty()
        ? settings.jdbcUrl()
        : settings.jdbcUrl() + "&user=" + settings.user() + "&password=" + settings.password();
  }
}

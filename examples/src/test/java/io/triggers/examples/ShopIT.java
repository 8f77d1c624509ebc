package io.triggers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.EventId;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.Organization;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shop and Triggers in one PostgreSQL database, each with its own migrations and tables. */
class ShopIT {

  private EmbeddedPostgres postgres;
  private DataSource dataSource;

  /** A new server for each test, so that each finds the shop's database as a new install does. */
  @BeforeEach
  void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
    dataSource = postgres.getPostgresDatabase();
  }

  @AfterEach
  void stopPostgres() throws IOException {
    postgres.close();
  }

  @Test
  void reportsOrdersThroughTriggersBesideItsOwnTables() throws SQLException {
    Organization merchant;
    EventId reported;
    try (Shop shop = Shop.start(dataSource)) {
      merchant = shop.openAccount("Corner Shop");

      reported = shop.placeOrder(merchant, "ada", new BigDecimal("19.90")).orElseThrow();

      assertThat(shop.inbox(merchant))
          .singleElement()
          .satisfies(event -> assertThat(event.event().id()).isEqualTo(reported))
          .extracting(InboxEvent::event)
          .satisfies(event -> assertThat(event.payload().json()).contains("\"total\":\"19.90\""));
    }

    // A restart finds both schemas migrated, and the event still waiting.
    try (Shop shop = Shop.start(dataSource)) {
      assertThat(shop.acknowledge(merchant, reported)).isTrue();
      assertThat(shop.inbox(merchant)).isEmpty();
    }
    assertThat(count("SELECT count(*) FROM public.events")).isOne();
    assertThat(count("SELECT count(*) FROM public.orders")).isOne();
    assertThat(count("SELECT count(*) FROM public.flyway_schema_history")).isOne();
    assertThat(count("SELECT count(*) FROM triggers.events")).isOne();
  }

  @Test
  void reportsNothingForAnotherMerchantsEvent() throws SQLException {
    try (Shop shop = Shop.start(dataSource)) {
      Organization merchant = shop.openAccount("Merchant");
      Organization other = shop.openAccount("Other");
      EventId id = shop.placeOrder(merchant, "bob", BigDecimal.TEN).orElseThrow();

      assertThat(shop.acknowledge(other, id)).isFalse();
      assertThat(shop.inbox(other)).isEmpty();
      assertThat(shop.inbox(merchant)).hasSize(1);
    }
  }

  @Test
  void countsTheOrdersItsRateLimitRefusedToReport() throws SQLException {
    // A clock that stands still, so that the limit does not refill while the orders are placed.
    try (Shop shop = Shop.start(dataSource, Clock.fixed(Instant.now(), ZoneOffset.UTC))) {
      Organization merchant = shop.openAccount("Busy Shop");
      int refused = 0;
      // The free tier allows a hundred events a minute.
      for (int i = 0; i < 105; i++) {
        Optional<EventId> id = shop.placeOrder(merchant, "carol", BigDecimal.ONE);
        if (id.isEmpty()) {
          refused++;
        }
      }

      assertThat(refused).isEqualTo(5);
      assertThat(shop.refusedReports(merchant)).isEqualTo(refused);
    }
  }

  private long count(String query) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    }
  }
}

package io.triggers.examples;

import io.triggers.adapters.postgres.PostgresDatabase;
import io.triggers.core.embed.Triggers;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Payload;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.IngestEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A small host service that embeds Triggers: a shop with its own database, its own Flyway
 * migrations and its own {@code events} table, which tells the organizations it serves of each
 * order through Triggers, kept in schema {@code triggers} of the same database. Thread-safe.
 */
public final class Shop implements AutoCloseable {

  private static final EventType ORDER_PLACED = new EventType("order.placed");

  private final DataSource dataSource;
  private final Triggers triggers;
  private final CountingRateLimiter rateLimiter;

  private Shop(DataSource dataSource, Triggers triggers, CountingRateLimiter rateLimiter) {
    this.dataSource = dataSource;
    this.triggers = triggers;
    this.rateLimiter = rateLimiter;
  }

  /** Migrates the shop's own schema, then starts Triggers beside it on the shop's own pool. */
  public static Shop start(DataSource dataSource) {
    return start(dataSource, Clock.systemUTC());
  }

  /** As {@link #start(DataSource)}, with the clock Triggers and the rate limit read. */
  public static Shop start(DataSource dataSource, Clock clock) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/shop").load().migrate();

    PostgresDatabase database = PostgresDatabase.start(dataSource);
    CountingRateLimiter rateLimiter = new CountingRateLimiter(new LocalRateLimiter(clock));
    Triggers triggers =
        Triggers.builder()
            .clock(clock)
            .storage(database.storage())
            .rateLimiter(rateLimiter)
            .closeWith(database)
            .build();
    triggers.start();
    return new Shop(dataSource, triggers, rateLimiter);
  }

  /** Registers a merchant whose orders are reported through Triggers. */
  public Organization openAccount(String name) {
    return triggers
        .generateApiKey()
        .generate(new GenerateApiKey.Command(new OrganizationName(name), Tier.FREE))
        .organization();
  }

  /**
   * Records an order in the shop's own tables, then reports it through Triggers.
   *
   * @return the id of the Triggers event, or empty if the merchant's rate limit refused it
   */
  public Optional<EventId> placeOrder(Organization merchant, String customer, BigDecimal total)
      throws SQLException {
    long orderId;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement order =
              connection.prepareStatement(
                  "INSERT INTO orders (customer, total) VALUES (?, ?) RETURNING id");
          PreparedStatement audit =
              connection.prepareStatement("INSERT INTO events (what) VALUES (?)")) {
        order.setString(1, customer);
        order.setBigDecimal(2, total);
        try (ResultSet inserted = order.executeQuery()) {
          inserted.next();
          orderId = inserted.getLong(1);
        }
        audit.setString(1, "order " + orderId + " placed");
        audit.executeUpdate();
      }
      connection.commit();
    }
    // Numbers only in the payload, so nothing a customer typed needs escaping.
    IngestEvent.Command command =
        new IngestEvent.Command(
            ORDER_PLACED,
            new Payload(
                "{\"order_id\":" + orderId + ",\"total\":\"" + total.toPlainString() + "\"}"),
            Optional.empty());
    return switch (triggers.ingestEvent().ingest(merchant, command)) {
      case IngestEvent.Outcome.Accepted accepted -> Optional.of(accepted.event().id());
      case IngestEvent.Outcome.Duplicate duplicate -> Optional.of(duplicate.original());
      case IngestEvent.Outcome.RateLimited limited -> Optional.empty();
    };
  }

  /** The merchant's events not yet acknowledged, newest first. */
  public List<InboxEvent> inbox(Organization merchant) {
    return triggers.listInbox().list(merchant.id(), InboxQuery.undelivered()).events();
  }

  /** Acknowledges one of the merchant's events; false if the merchant has no such event. */
  public boolean acknowledge(Organization merchant, EventId id) {
    return triggers.acknowledgeEvents().acknowledge(merchant.id(), id).isPresent();
  }

  /** How many of the merchant's orders the rate limit refused to report. */
  public long refusedReports(Organization merchant) {
    return rateLimiter.denied(merchant.id());
  }

  /** Stops Triggers and closes its part of the database; the shop's pool stays the caller's. */
  @Override
  public void close() {
    triggers.close();
  }
}

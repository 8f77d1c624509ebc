package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresAvailabilityTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final FakeServer server = new FakeServer();
  private final PostgresAvailability availability = new PostgresAvailability(server::probe);

  @AfterEach
  void stopProbing() {
    availability.close();
  }

  @Test
  void refusesAtOnceWithoutAskingThePoolOnceTheProbeCannotConnectEither() {
    // given a server that refuses connections, and a request that found it so
    server.refuse(new SQLException("Connection refused", "08001"));
    availability.failed(new SQLException("An I/O error occurred", "08006"));

    // when the probe has confirmed it
    awaitUntil(availability::isDown);

    // then the next caller is refused without taking a connection from the pool
    AtomicInteger poolCalls = new AtomicInteger();
    assertThatThrownBy(() -> availability.connect(() -> pool(poolCalls)))
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageContaining("unreachable");
    assertThat(poolCalls).hasValue(0);
    assertThat(availability.problem()).contains("unreachable");
  }

  @Test
  void opensAgainOnceTheProbeConnects() {
    // given a database known to be down
    server.refuse(new SQLException("Connection refused", "08001"));
    availability.failed(new SQLTransientConnectionException("pool timed out"));
    awaitUntil(availability::isDown);

    // when the server accepts connections again
    server.accept();

    // then the gate opens without anyone calling, and callers get pooled connections again
    awaitUntil(() -> !availability.isDown());
    AtomicInteger poolCalls = new AtomicInteger();
    assertThatThrownBy(() -> availability.connect(() -> pool(poolCalls)))
        .hasMessage("the fake pool has no connections");
    assertThat(poolCalls).hasValue(1);
    assertThat(availability.problem()).isEmpty();
  }

  @Test
  void saysTheServerIsStartingUpWhileItRefusesConnectionsForThat() {
    // given
    server.refuse(new SQLException("the database system is starting up", "57P03"));

    // when
    availability.failed(new SQLException("terminating connection", "57P01"));

    // then
    awaitUntil(availability::isDown);
    assertThat(availability.problem()).contains("starting up");
  }

  @Test
  void staysOpenWhenThePoolTimesOutButTheServerAnswersTheProbe() {
    // given a server that accepts connections but whose pool is exhausted
    server.accept();

    // when a caller timed out waiting for a pooled connection
    availability.failed(new SQLTransientConnectionException("pool timed out"));

    // then the probe connects and the database is never taken for down
    awaitUntil(() -> server.probes.get() >= 1);
    awaitUntil(() -> !availability.isProbing());
    assertThat(availability.isDown()).isFalse();
    assertThat(availability.problem()).isEmpty();
  }

  @Test
  void staysOpenWhenTheProbeIsRefusedForAReasonOtherThanReachability() {
    // given a server that is up but refuses the probe its login, or a slot
    server.refuse(new SQLException("sorry, too many clients already", "53300"));

    // when
    availability.failed(new SQLTransientConnectionException("pool timed out"));

    // then
    awaitUntil(() -> server.probes.get() >= 1);
    awaitUntil(() -> !availability.isProbing());
    assertThat(availability.isDown()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "53100, disk full",
    "53200, out of memory",
    "53300, too many connections",
    "53400, configuration limit exceeded",
    "53000, insufficient resources"
  })
  void reportsAShortageOfResourcesWithoutClosing(String state, String reported) {
    // when the server refuses work for want of a resource
    availability.failed(new SQLException("could not extend file", state));

    // then readiness can say why, and callers still go to the server, which answers at once
    assertThat(availability.problem()).contains(reported);
    assertThat(availability.isDown()).isFalse();
    assertThat(availability.isProbing()).isFalse();
    assertThat(server.probes).hasValue(0);
  }

  @Test
  void takesNoNoteOfFailuresThatAreTheRequestsOwn() {
    // when
    availability.failed(new SQLException("duplicate key value", "23505"));
    availability.failed(new SQLException("syntax error", "42601"));

    // then
    assertThat(availability.problem()).isEmpty();
    assertThat(availability.isProbing()).isFalse();
    assertThat(server.probes).hasValue(0);
  }

  @Test
  void looksIntoAFailureToGetAPooledConnection() {
    // given a server that is gone
    server.refuse(new SQLException("Connection refused", "08001"));

    // when the pool fails to hand out a connection
    assertThatThrownBy(
            () ->
                availability.connect(
                    () -> {
                      throw new SQLTransientConnectionException("pool timed out");
                    }))
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasMessage("pool timed out");

    // then the database is soon known to be down
    awaitUntil(availability::isDown);
  }

  private static Connection pool(AtomicInteger calls) throws SQLException {
    calls.incrementAndGet();
    throw new SQLException("the fake pool has no connections", "42000");
  }

  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited too long").isNegative();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A server as the probe sees it: accepting connections, or refusing them with a failure. */
  private static final class FakeServer {

    final AtomicInteger probes = new AtomicInteger();
    private volatile SQLException refusal;

    void refuse(SQLException failure) {
      refusal = failure;
    }

    void accept() {
      refusal = null;
    }

    void probe() throws SQLException {
      probes.incrementAndGet();
      SQLException failure = refusal;
      if (failure != null) {
        throw failure;
      }
    }
  }
}

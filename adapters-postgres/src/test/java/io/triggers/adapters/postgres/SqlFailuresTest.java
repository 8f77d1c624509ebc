package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFailuresTest {

  @ParameterizedTest
  @CsvSource({
    "53100, PostgreSQL is unavailable (disk full): could not store events",
    "53200, PostgreSQL is unavailable (out of memory): could not store events",
    "53300, PostgreSQL is unavailable (too many connections): could not store events",
    "53400, PostgreSQL is unavailable (configuration limit exceeded): could not store events",
    "53000, PostgreSQL is unavailable (insufficient resources): could not store events",
    "08006, PostgreSQL is unavailable: could not store events",
    "57P01, PostgreSQL is unavailable: could not store events",
    "57P02, PostgreSQL is unavailable: could not store events",
    "57P03, PostgreSQL is unavailable: could not store events"
  })
  void translatesWantOfResourcesAndOfTheServerIntoUnavailability(String state, String message) {
    // given
    SQLException failure = new SQLException("from the server", state);

    // when
    TriggersException translated =
        SqlFailures.translate("store events", new RuntimeException("wrapped", failure));

    // then
    assertThat(translated)
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage(message)
        .hasRootCause(failure);
  }

  @ParameterizedTest
  @ValueSource(strings = {"40P01", "40001"})
  void translatesARollbackInAConflictIntoUnavailabilityToBeTriedAgain(String state) {
    // given a deadlock or a serialization failure
    SQLException failure = new SQLException("from the server", state);

    // when
    TriggersException translated =
        SqlFailures.translate("acknowledge events", new RuntimeException("wrapped", failure));

    // then
    assertThat(translated)
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage(
            "PostgreSQL rolled back a transaction in a conflict with another:"
                + " could not acknowledge events")
        .hasRootCause(failure);
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "22P02", "42601", "XX000"})
  void keepsOtherFailuresAsFailures(String state) {
    // when
    TriggersException translated =
        SqlFailures.translate("store events", new SQLException("refused", state));

    // then
    assertThat(translated).isNotInstanceOf(StorageUnavailableException.class);
    assertThat(SqlFailures.shortage(translated)).isEmpty();
  }
}

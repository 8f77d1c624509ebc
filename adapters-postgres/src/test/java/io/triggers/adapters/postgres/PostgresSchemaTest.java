package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresSchemaTest {

  @Test
  void keepsTriggersInSchemaTriggersWithItsOwnHistoryByDefault() {
    assertThat(PostgresSchema.standard())
        .isEqualTo(new PostgresSchema("triggers", "triggers_schema_history"));
    assertThat(PostgresSchema.named("events_lib").historyTable())
        .isEqualTo("triggers_schema_history");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Triggers",
        "1triggers",
        "trig gers",
        "triggers; DROP TABLE events",
        "\"triggers\"",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void refusesNamesThatAreNotPlainIdentifiers(String name) {
    assertThatThrownBy(() -> PostgresSchema.named(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema name");
    assertThatThrownBy(() -> new PostgresSchema("triggers", name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("history table");
  }
}

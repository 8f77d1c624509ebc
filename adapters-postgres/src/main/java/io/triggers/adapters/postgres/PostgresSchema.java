package io.triggers.adapters.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Triggers keeps its tables in a database it shares with a host application: its own schema,
 * and its own Flyway history table in that schema, so that neither the host's tables (an {@code
 * events} table of its own, say) nor the host's Flyway history meet Triggers'.
 *
 * @param name the schema Triggers' tables live in; created if missing
 * @param historyTable the table, in that schema, where Flyway records Triggers' migrations
 */
public record PostgresSchema(String name, String historyTable) {

  /** The schema a shared database gives Triggers unless told otherwise. */
  public static final String DEFAULT_NAME = "triggers";

  /** The Flyway history table a shared database gives Triggers unless told otherwise. */
  public static final String DEFAULT_HISTORY_TABLE = "triggers_schema_history";

  /** Lower-case unquoted identifiers only: they need no quoting anywhere they are written. */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * Checks that both names are plain PostgreSQL identifiers: lower-case letters, digits and
   * underscores, not starting with a digit, at most 63 characters.
   */
  public PostgresSchema {
    requireIdentifier(name, "schema name");
    requireIdentifier(historyTable, "history table");
  }

  /** Schema {@code triggers} with history table {@code triggers_schema_history}. */
  public static PostgresSchema standard() {
    return new PostgresSchema(DEFAULT_NAME, DEFAULT_HISTORY_TABLE);
  }

  /** The given schema, with history table {@code triggers_schema_history}. */
  public static PostgresSchema named(String name) {
    return new PostgresSchema(name, DEFAULT_HISTORY_TABLE);
  }

  private static void requireIdentifier(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be lower-case letters, digits and underscores, not starting with a digit,"
              + " at most 63 characters");
    }
  }
}

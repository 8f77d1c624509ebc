package io.triggers.adapters.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plans PostgreSQL makes for a statement of the adapter, prepared on the server as the driver
 * does once a statement is reused: planned with its values, and generically.
 */
final class QueryPlans {

  /** The plan-cache modes, each forcing one kind of plan. */
  static final List<String> MODES = List.of("force_custom_plan", "force_generic_plan");

  private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<!:):(\\w+)");

  private QueryPlans() {}

  /**
   * The JSON plan of {@code sql} in each mode of {@link #MODES}, in that order. Its named
   * parameters take {@code types} (a comma-separated list, or empty to let PostgreSQL infer them)
   * and {@code values} (SQL literals) in order of appearance.
   */
  static Map<String, String> of(
      PostgresSettings settings, String sql, String types, List<String> values)
      throws SQLException {
    Matcher names = NAMED_PARAMETER.matcher(sql);
    StringBuilder prepared = new StringBuilder();
    int parameters = 0;
    while (names.find()) {
      names.appendReplacement(prepared, "\\$" + ++parameters);
    }
    names.appendTail(prepared);
    String declared = types.isEmpty() ? "" : "(" + types + ")";
    Map<String, String> plans = new LinkedHashMap<>();
    for (String mode : MODES) {
      try (Connection connection = TestDatabase.connect(settings);
          Statement statement = connection.createStatement()) {
        statement.execute("SET plan_cache_mode = " + mode);
        statement.execute("PREPARE statement" + declared + " AS " + prepared);
        try (ResultSet rs =
            statement.executeQuery(
                "EXPLAIN (FORMAT JSON) EXECUTE statement(" + String.join(", ", values) + ")")) {
          rs.next();
          plans.put(mode, rs.getString(1));
        }
      }
    }
    return plans;
  }
}

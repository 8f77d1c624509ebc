package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextArrayParameterIT {

  private static final String[] HOSTILE =
      new String[] {
        "plain",
        "",
        null,
        "{\"quoted\": \"a \\\" b\", \"back\\\\slash\": [1, 2]}",
        "comma, {brace} NULL",
        "NULL",
        "ünï€ødé 😀",
        " leading and trailing ",
        "new\nline\ttab"
      };

  private static PostgresSettings settings;

  @BeforeAll
  static void schema() {
    settings = TestDatabase.freshSchema();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void sendsEveryStringAsItIsNullsIncludedInBinaryAndInTextForm(boolean binary)
      throws SQLException {
    // when the strings go as one parameter, over a connection sending binary parameters or not
    List<String> received = roundTrip(binary, TextArrayParameter.of(HOSTILE));

    // then PostgreSQL received each string unchanged, and the nulls as NULL
    assertThat(received).containsExactly(HOSTILE);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void sendsUuidsInTheirCanonicalText(boolean binary) throws SQLException {
    UUID[] uuids = {
      UUID.randomUUID(),
      new UUID(0, 0),
      new UUID(-1, -1),
      UUID.fromString("0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
    };

    List<String> received = roundTrip(binary, TextArrayParameter.of(uuids));

    assertThat(received)
        .containsExactlyElementsOf(Arrays.stream(uuids).map(UUID::toString).toList());
  }

  @Test
  void sendsAnEmptyArray() throws SQLException {
    assertThat(roundTrip(true, TextArrayParameter.of(new String[0]))).isEmpty();
  }

  private static List<String> roundTrip(boolean binary, TextArrayParameter parameter)
      throws SQLException {
    try (Connection connection = connect(binary);
        PreparedStatement statement =
            connection.prepareStatement("SELECT ?::text[] AS a, cardinality(?::text[])")) {
      statement.setObject(1, parameter);
      statement.setObject(2, parameter);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        Array array = rs.getArray(1);
        String[] values = (String[]) array.getArray();
        assertThat(rs.getInt(2)).isEqualTo(values.length);
        return Arrays.asList(values);
      }
    }
  }

  private static Connection connect(boolean binary) throws SQLException {
    return TestDatabase.connect(
        binary ? settings : TestDatabase.withParameter(settings, "binaryTransfer=false"));
  }
}

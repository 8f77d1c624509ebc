package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SortOrder;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inbox and the sweep of due deliveries on a table of a million events: each served from its
 * index, page after page.
 */
class InboxQueryPlanIT {

  private static final OrganizationId ORGANIZATION =
      new OrganizationId(UUID.fromString("00000000-0000-4000-8000-000000000007"));

  /**
   * One million events over 100 organizations, one millisecond apart, with UUIDv7 ids built from
   * their creation time. Per organization: every fourth event delivered, every third of another
   * type, every other one with a dedup id.
   */
  private static final String FILL =
      """
      INSERT INTO events (org_id, id, type, payload, dedup_id, created_at, delivery_status)
      SELECT
        ('00000000-0000-4000-8000-' || lpad(to_hex(g % 100), 12, '0'))::uuid,
        (lpad(to_hex(1767225600000 + g), 12, '0') || '7' || lpad(to_hex(g % 4096), 3, '0')
          || '8' || lpad(to_hex(g), 15, '0'))::uuid,
        CASE WHEN g / 100 % 3 = 0 THEN 'order.paid' ELSE 'order.created' END,
        ('{"n":' || g || '}')::json,
        CASE WHEN g / 100 % 2 = 0 THEN 'dedup-' || g END,
        timestamptz '2026-01-01 00:00:00+00' + g * interval '1 millisecond',
        CASE WHEN g / 100 % 4 = 0 THEN 'delivered' ELSE 'pending' END
      FROM generate_series(1, 1000000) AS g
      """;

  /**
   * One pending event in a hundred has a delivery scheduled to its organization's endpoint, due a
   * minute after.
   */
  private static final String SCHEDULE =
      """
      INSERT INTO deliveries (org_id, event_id, endpoint_id, status, next_attempt_at)
      SELECT org_id, id, org_id, 'pending', created_at + interval '1 minute' FROM events
      WHERE delivery_status = 'pending' AND (hashtext(id::text) % 100) = 0
      """;

  /** Ten thousand leases of ten events each, over the same organizations. */
  private static final String LEASES =
      """
      INSERT INTO inbox_leases (org_id, id, created_at, leased_until, event_ids)
      SELECT
        ('00000000-0000-4000-8000-' || lpad(to_hex(g % 100), 12, '0'))::uuid,
        md5(g::text)::uuid,
        timestamptz '2026-01-01 00:00:00+00' + g * interval '1 millisecond',
        timestamptz '2026-01-01 00:05:00+00' + g * interval '1 millisecond',
        ARRAY(SELECT id FROM events WHERE org_id = '00000000-0000-4000-8000-000000000007' LIMIT 10)
      FROM generate_series(1, 10000) AS g
      """;

  /**
   * The parameters of the lease statements, by name: the types and values they are planned with.
   */
  private static final Map<String, String[]> LEASE_PARAMETERS =
      Map.ofEntries(
          Map.entry("org", new String[] {"uuid", "'" + ORGANIZATION + "'"}),
          Map.entry("lease", new String[] {"uuid", "'" + UUID.randomUUID() + "'"}),
          Map.entry("max", new String[] {"integer", "10"}),
          Map.entry("now", new String[] {"timestamptz", "'2026-01-02T00:00:00Z'"}),
          Map.entry("until", new String[] {"timestamptz", "'2026-01-02T00:05:00Z'"}),
          Map.entry("availableAt", new String[] {"timestamptz", "'2026-01-02T00:00:00Z'"}),
          Map.entry("at", new String[] {"timestamptz", "'2026-01-02T00:00:00Z'"}),
          Map.entry("from", new String[] {"timestamptz", "'2026-01-01T00:15:00Z'"}),
          Map.entry("type", new String[] {"text", "'order.paid'"}),
          Map.entry("limit", new String[] {"integer", "100"}),
          Map.entry("all", new String[] {"boolean", "true"}),
          Map.entry("ids", new String[] {"uuid[]", "'{}'"}));

  private static PostgresSettings settings;
  private static PostgresDatabase database;

  @BeforeAll
  static void fillTable() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    TestDatabase.execute(
        settings,
        FILL,
        SCHEDULE,
        LEASES,
        "ANALYZE events",
        "ANALYZE inbox_leases",
        "ANALYZE deliveries");
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void defaultInboxPageIsReadFromTheInboxIndex() throws SQLException {
    assertUsesInboxIndex(InboxQuery.undelivered());
  }

  @Test
  void laterPagesOldestFirstWithATypeAreReadFromTheInboxIndex() throws SQLException {
    assertUsesInboxIndex(
        new InboxQuery(
            DeliveryStatus.UNDELIVERED,
            Optional.of(new EventType("order.paid")),
            100,
            Optional.of(cursorAt("2026-01-01T00:05:00Z")),
            SortOrder.OLDEST_FIRST));
  }

  @Test
  void everyStatusNewestFirstFromACursorIsReadFromTheInboxIndex() throws SQLException {
    assertUsesInboxIndex(
        new InboxQuery(
            EnumSet.allOf(DeliveryStatus.class),
            Optional.empty(),
            1000,
            Optional.of(cursorAt("2026-01-01T00:10:00Z")),
            SortOrder.NEWEST_FIRST));
  }

  @Test
  void pagesThroughOneOrganizationsUndeliveredEventsNewestFirst() {
    // when
    List<InboxEvent> listed = new ArrayList<>();
    Optional<InboxCursor> after = Optional.empty();
    do {
      InboxPage page =
          database
              .inbox()
              .list(
                  ORGANIZATION,
                  new InboxQuery(
                      DeliveryStatus.UNDELIVERED,
                      Optional.empty(),
                      InboxQuery.MAX_LIMIT,
                      after,
                      SortOrder.NEWEST_FIRST));
      listed.addAll(page.events());
      after = page.next();
    } while (after.isPresent());

    // then: the 10,000 events of the organization, less the delivered quarter, newest first
    assertThat(listed).hasSize(7_500);
    assertThat(listed)
        .allSatisfy(event -> assertThat(event.status()).isEqualTo(DeliveryStatus.PENDING));
    for (int i = 1; i < listed.size(); i++) {
      assertThat(listed.get(i).event().id()).isLessThan(listed.get(i - 1).event().id());
    }
  }

  @Test
  void dueDeliveriesAreReadFromTheDueIndexInItsOrder() throws SQLException {
    assertUsesIndex(
        PostgresDeliveryLedger.dueSql(false),
        List.of("'2026-01-01T00:10:00Z'", "'2026-01-01T00:10:00Z'", "500"),
        "deliveries_due_idx");
    assertUsesIndex(
        PostgresDeliveryLedger.dueSql(true),
        List.of(
            "'2026-01-01T00:10:00Z'",
            "'2026-01-01T00:10:00Z'",
            "'2026-01-01T00:05:00Z'",
            "'" + ORGANIZATION + "'",
            "'" + TestEvents.newId(Instant.parse("2026-01-01T00:05:00Z")) + "'",
            "'" + ORGANIZATION + "'",
            "500"),
        "deliveries_due_idx");
  }

  @Test
  void aLeaseTakesTheOldestEventsFromTheLeasableIndex() throws SQLException {
    for (boolean ofOneType : List.of(false, true)) {
      for (String plan : plans(LeaseSql.lease(ofOneType), LEASE_PARAMETERS)) {
        // Only the lease's own rows are sorted, once taken; the events are read in index order.
        assertThat(plan)
            .contains("\"Index Name\": \"events_leasable_idx\"")
            .contains("\"Node Type\": \"LockRows\"")
            .doesNotContain("Seq Scan");
        assertThat(plan.split("\"Node Type\": \"Sort\"", -1)).hasSize(2);
        assertThat(plan).contains("\"Sort Key\": [\"leased.created_at\", \"leased.id\"]");
      }
    }
  }

  @Test
  void anAckThroughALeaseReadsItsEventsByKey() throws SQLException {
    for (String plan : plans(LeaseSql.ACKNOWLEDGE, LEASE_PARAMETERS)) {
      assertThat(plan)
          .contains("\"Index Name\": \"events_pkey\"")
          .contains("\"Index Name\": \"inbox_leases_pkey\"")
          .doesNotContain("Seq Scan");
    }
  }

  @Test
  void theLeaseGaugesCountOnlyTheLeasedIndex() throws SQLException {
    Map<String, String[]> parameters =
        Map.of(
            "now", new String[] {"timestamptz", "'2026-01-02T00:00:00Z'"},
            "max", new String[] {"integer", "10"});
    for (String plan : plans(PostgresLeaseBacklog.COUNT, parameters)) {
      assertThat(plan).contains("\"Index Name\": \"events_leased_idx\"").doesNotContain("Seq Scan");
    }
  }

  @Test
  void anAcknowledgementOfAThousandEventsLocksThemByKeyInIdOrder() throws SQLException {
    String ids =
        IntStream.range(0, 1000)
            .mapToObj(i -> TestEvents.newId(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)))
            .map(Object::toString)
            .collect(Collectors.joining(",", "'{", "}'"));
    assertLocksInIdOrderByKey(
        PostgresInbox.ACKNOWLEDGE_ALL,
        Map.of(
            "org", new String[] {"uuid", "'" + ORGANIZATION + "'"},
            "ids", new String[] {"uuid[]", ids},
            "at", new String[] {"timestamptz", "'2026-01-02T00:00:00Z'"}));
  }

  @Test
  void extendingAndReleasingALeaseLockItsEventsByKeyInIdOrder() throws SQLException {
    assertLocksInIdOrderByKey(LeaseSql.EXTEND, LEASE_PARAMETERS);
    assertLocksInIdOrderByKey(LeaseSql.RELEASE, LEASE_PARAMETERS);
  }

  @Test
  void seekingReadsTheOrganizationsEventsSinceItsTimeFromTheInboxIndex() throws SQLException {
    assertLocksInIdOrderByKey(LeaseSql.SEEK, LEASE_PARAMETERS);
    for (String plan : plans(LeaseSql.SEEK, LEASE_PARAMETERS)) {
      assertThat(plan).contains("\"Index Name\": \"events_inbox_idx\"");
    }
  }

  @Test
  void retentionReadsABatchByAddressAndDeletesItByKey() throws SQLException {
    Map<String, String[]> parameters =
        Map.of(
            "cutoff", new String[] {"timestamptz", "'2026-01-01T00:10:00Z'"},
            "maxEvents", new String[] {"integer", "5000"});
    for (String plan : plans(PostgresEventLog.DELETE_CREATED_BEFORE, parameters)) {
      assertThat(plan)
          .contains("\"Node Type\": \"Tid Scan\"")
          .contains("\"Node Type\": \"LockRows\"")
          .contains("\"Index Name\": \"events_pkey\"")
          .doesNotContain("Hash");
    }
  }

  /**
   * Checks that {@code sql} locks the events it changes after sorting them by key (the
   * organization, one in these statements, drops out of the sort), and finds them again by key;
   * never by reading the whole table.
   */
  private static void assertLocksInIdOrderByKey(String sql, Map<String, String[]> parameters)
      throws SQLException {
    for (String plan : plans(sql, parameters)) {
      assertThat(plan)
          .as(sql)
          .contains("\"Node Type\": \"LockRows\"")
          .containsPattern(
              "\"Sort Key\": \\[(\"events(_\\d)?\\.org_id\", )?\"events(_\\d)?\\.id\"\\]")
          .contains("\"Index Name\": \"events_pkey\"")
          .doesNotContain("Seq Scan");
    }
  }

  private static Iterable<String> plans(String sql, Map<String, String[]> parameters)
      throws SQLException {
    return QueryPlans.of(settings, sql, types(sql, parameters), values(sql, parameters)).values();
  }

  /** The declared types of {@code sql}'s named parameters, in order of appearance. */
  private static String types(String sql, Map<String, String[]> parameters) {
    return String.join(", ", each(sql, parameters, 0));
  }

  /** The values of {@code sql}'s named parameters, in order of appearance. */
  private static List<String> values(String sql, Map<String, String[]> parameters) {
    return each(sql, parameters, 1);
  }

  private static List<String> each(String sql, Map<String, String[]> parameters, int field) {
    Matcher names = Pattern.compile("(?<!:):(\\w+)").matcher(sql);
    List<String> found = new ArrayList<>();
    while (names.find()) {
      found.add(parameters.get(names.group(1))[field]);
    }
    return found;
  }

  /**
   * Explains the store's own inbox statement as a prepared statement, planned both with its values
   * (the driver's first executions) and as the generic plan the server may switch to.
   */
  private static void assertUsesInboxIndex(InboxQuery query) throws SQLException {
    PostgresInbox.InboxSql inbox = PostgresInbox.InboxSql.of(ORGANIZATION, query);
    Matcher names = Pattern.compile(":(\\w+)").matcher(inbox.sql());
    List<String> values = new ArrayList<>();
    while (names.find()) {
      values.add(literal(inbox.parameters().get(names.group(1))));
    }
    assertUsesIndex(inbox.sql(), "", values, "events_inbox_idx");
  }

  /**
   * Explains {@code sql}, whose named parameters take {@code values} in order of appearance, as a
   * prepared statement planned both with its values and generically, and checks that it is read
   * from {@code index} in the index's order.
   */
  private static void assertUsesIndex(String sql, List<String> values, String index)
      throws SQLException {
    assertUsesIndex(sql, "", values, index);
  }

  /**
   * As above, with the parameters' {@code types} declared (see {@link QueryPlans#of}); {@code
   * index} may name several, separated by {@code |}.
   */
  private static void assertUsesIndex(String sql, String types, List<String> values, String index)
      throws SQLException {
    for (Map.Entry<String, String> entry : QueryPlans.of(settings, sql, types, values).entrySet()) {
      String planCacheMode = entry.getKey();
      String plan = entry.getValue();
      assertThat(plan)
          .as("%s plan of %s", planCacheMode, sql)
          .containsPattern("\"Node Type\": \"Index (Only )?Scan( Backward)?\"")
          .containsPattern("\"Index Name\": \"(" + index + ")\"")
          .doesNotContain("Seq Scan")
          .doesNotContain("\"Node Type\": \"Sort\"");
      if (planCacheMode.equals("force_generic_plan")) {
        assertThat(plan).as("a generic plan keeps its parameters").contains("$1");
      }
    }
  }

  private static String literal(Object value) {
    return switch (value) {
      case Integer number -> number.toString();
      case String[] array -> "'{" + String.join(",", array) + "}'";
      default -> "'" + value + "'";
    };
  }

  private static InboxCursor cursorAt(String createdAt) {
    Instant at = Instant.parse(createdAt);
    return new InboxCursor(at, TestEvents.newId(at));
  }
}

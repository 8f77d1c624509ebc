package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.EventLog.AppendResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommitIT {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static PostgresSettings settings;
  private static PostgresDatabase database;
  private static EventLog store;

  @BeforeAll
  static void start() {
    settings = TestDatabase.freshSchema();
    database = PostgresDatabase.start(settings);
    store = database.events();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.truncate(settings);
  }

  @Test
  void storesEachDedupIdOnceAndTellsEveryDuplicateTheOriginalsIdUnderConcurrentAppends()
      throws Exception {
    // given 1,000 events over 4 organizations, 100 of which repeat another event's dedup id
    List<OrganizationId> organizations =
        List.of(
            TestEvents.newOrganization(),
            TestEvents.newOrganization(),
            TestEvents.newOrganization(),
            TestEvents.newOrganization());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int key = i < 900 ? i : (i - 900) * 9;
      events.add(TestEvents.event(organizations.get(key % 4), "key-" + key, NOW));
    }

    // when all are appended at once while the table is locked, so that they pile up into batches
    List<AppendResult> results;
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        TableLock lock = TableLock.on(settings)) {
      List<Future<AppendResult>> answers = appendConcurrently(callers, events);
      lock.releaseWhenAWriterWaits();
      results = collect(answers);
    }

    // then every dedup id is stored once, and its repeat is told the id that was stored
    Map<String, EventId> storedByKey = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      if (results.get(i) instanceof AppendResult.Stored stored) {
        assertThat(stored.event()).isEqualTo(events.get(i));
        assertThat(storedByKey.put(dedupKey(events.get(i)), stored.event().id())).isNull();
      }
    }
    assertThat(storedByKey).hasSize(900);
    for (int i = 0; i < events.size(); i++) {
      EventId original = storedByKey.get(dedupKey(events.get(i)));
      if (!original.equals(events.get(i).id())) {
        assertThat(results.get(i)).isEqualTo(new AppendResult.Duplicate(original));
      }
    }
    assertThat(queryLong("SELECT count(*) FROM events")).isEqualTo(900);
    assertThat(queryLong("SELECT count(DISTINCT (org_id, dedup_id)) FROM events")).isEqualTo(900);
    // and they went in as far fewer transactions than rows: group commit
    assertThat(queryLong("SELECT count(DISTINCT xmin::text) FROM events")).isLessThan(100);
  }

  @Test
  void refusedEventFailsOnlyItsOwnAppendWhenBatchedWithOthers() throws Exception {
    // given 50 good events and one whose payload PostgreSQL refuses as JSON
    OrganizationId organization = TestEvents.newOrganization();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(TestEvents.event(organization, NOW));
    }
    Event broken =
        new Event(
            TestEvents.newId(NOW),
            organization,
            new EventType("broken"),
            new Payload("{not json"),
            Optional.empty(),
            NOW);
    events.add(25, broken);

    // when they are appended together
    List<Future<AppendResult>> answers;
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        TableLock lock = TableLock.on(settings)) {
      answers = appendConcurrently(callers, events);
      lock.releaseWhenAWriterWaits();
    }

    // then the broken one is refused as invalid and every other one is stored
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == broken) {
        Future<AppendResult> answer = answers.get(i);
        assertThatThrownBy(answer::get)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(InvalidValueException.class);
      } else {
        assertThat(answers.get(i).get()).isEqualTo(new AppendResult.Stored(events.get(i)));
      }
    }
    assertThat(queryLong("SELECT count(*) FROM events")).isEqualTo(50);
  }

  @Test
  void poisonedAppendsOfOneOrganizationAreRefusedWhileAnotherOrganizationsAreAllStoredOnce()
      throws Exception {
    // given 200 good events of one organization, half with dedup ids, and events of another whose
    // values PostgreSQL refuses: JSON it cannot parse, a NUL byte, a time beyond its range
    OrganizationId victim = TestEvents.newOrganization();
    OrganizationId poisoner = TestEvents.newOrganization();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(
          i % 2 == 0 ? TestEvents.event(victim, "good-" + i, NOW) : TestEvents.event(victim, NOW));
    }
    List<Event> poisons =
        List.of(
            poisoned(poisoner, new Payload("{not json"), Optional.of("p-1"), NOW),
            poisoned(poisoner, new Payload("{\"a\":\"\u0000\"}"), Optional.of("p-2"), NOW),
            poisoned(poisoner, new Payload("{\"a\":\"\u0000\"}"), Optional.empty(), NOW),
            poisoned(
                poisoner,
                new Payload("{}"),
                Optional.of("p-3"),
                Instant.parse("+300000-01-01T00:00:00Z")));
    for (int i = 0; i < poisons.size(); i++) {
      events.add(20 + i * 50, poisons.get(i));
    }

    // when all are appended at once, so that the poisoned ones share batches with good ones
    List<Future<AppendResult>> answers;
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        TableLock lock = TableLock.on(settings)) {
      answers = appendConcurrently(callers, events);
      lock.releaseWhenAWriterWaits();
    }

    // then every good event is stored, once, and each poisoned one is refused as invalid
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (poisons.contains(event)) {
        assertThatThrownBy(answers.get(i)::get)
            .as("poison %s", event.payload().json())
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(InvalidValueException.class);
      } else {
        assertThat(answers.get(i).get()).isEqualTo(new AppendResult.Stored(event));
        assertThat(store.find(victim, event.id())).isPresent();
      }
    }
    assertThat(queryLong("SELECT count(*) FROM events WHERE org_id = '" + victim + "'"))
        .isEqualTo(200);
    assertThat(queryLong("SELECT count(*) FROM events WHERE org_id = '" + poisoner + "'")).isZero();
  }

  @Test
  void appendAllStoresNothingWhenOneOfItsEventsIsRefused() {
    // given
    OrganizationId organization = TestEvents.newOrganization();
    Event good = TestEvents.event(organization, NOW);
    Event broken =
        new Event(
            TestEvents.newId(NOW),
            organization,
            new EventType("broken"),
            new Payload("{not json"),
            Optional.empty(),
            NOW);

    // when / then
    assertThatThrownBy(() -> store.append(List.of(good, broken), DeliveryMethod.PULL))
        .isInstanceOf(InvalidValueException.class);
    assertThat(store.find(organization, good.id())).isEmpty();
  }

  @Test
  void appendAllTellsALaterEventOfTheListItDuplicatesAnEarlierOne() {
    // given
    OrganizationId organization = TestEvents.newOrganization();
    Event first = TestEvents.event(organization, "same", NOW);
    Event second = TestEvents.event(organization, "same", NOW);
    Event other = TestEvents.event(organization, "other", NOW);

    // when
    List<AppendResult> results = store.append(List.of(first, second, other), DeliveryMethod.PULL);

    // then
    assertThat(results)
        .containsExactly(
            new AppendResult.Stored(first),
            new AppendResult.Duplicate(first.id()),
            new AppendResult.Stored(other));
  }

  @Test
  void eventsOfOneBatchWithTheDedupIdOfAStoredEventAreDuplicatesOfThatEvent() throws Exception {
    // given an event already stored
    OrganizationId organization = TestEvents.newOrganization();
    Event original = TestEvents.event(organization, "taken", NOW);
    store.append(List.of(original), DeliveryMethod.PULL).getFirst();
    List<Event> repeats = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      repeats.add(TestEvents.event(organization, "taken", NOW));
    }

    // when its dedup id is used again by many appends batched together
    List<Future<AppendResult>> answers;
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        TableLock lock = TableLock.on(settings)) {
      answers = appendConcurrently(callers, repeats);
      lock.releaseWhenAWriterWaits();
    }

    // then each is told the original's id
    for (Future<AppendResult> answer : answers) {
      assertThat(answer.get()).isEqualTo(new AppendResult.Duplicate(original.id()));
    }
  }

  private static Event poisoned(
      OrganizationId organization, Payload payload, Optional<String> dedupId, Instant createdAt) {
    return new Event(
        TestEvents.newId(NOW),
        organization,
        new EventType("poison"),
        payload,
        dedupId.map(DedupId::new),
        createdAt);
  }

  /** Appends each event on its own virtual thread; returns once every append has been called. */
  private static List<Future<AppendResult>> appendConcurrently(
      ExecutorService callers, List<Event> events) throws InterruptedException {
    CountDownLatch calling = new CountDownLatch(events.size());
    List<Future<AppendResult>> answers = new ArrayList<>();
    for (Event event : events) {
      answers.add(
          callers.submit(
              () -> {
                calling.countDown();
                return store.append(List.of(event), DeliveryMethod.PULL).getFirst();
              }));
    }
    calling.await();
    return answers;
  }

  private static List<AppendResult> collect(List<Future<AppendResult>> answers)
      throws InterruptedException, ExecutionException {
    List<AppendResult> results = new ArrayList<>();
    for (Future<AppendResult> answer : answers) {
      results.add(answer.get());
    }
    return results;
  }

  private static String dedupKey(Event event) {
    return event.organizationId() + "/" + event.dedupId().orElseThrow();
  }

  private static long queryLong(String sql) throws SQLException {
    try (Connection connection = TestDatabase.connect(settings);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import io.triggers.core.testing.Concurrently;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatementBatcherIT {

  /** How long a test waits for what it expects before it fails; never what it measures. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static PostgresSettings settings;
  private static Jdbi jdbi;

  @BeforeAll
  static void connect() {
    settings = TestDatabase.freshSchema();
    jdbi = Jdbi.create(() -> TestDatabase.connect(settings));
  }

  @Test
  void runsTheRequestsOfManyConcurrentCallersInFewStatements() throws Exception {
    // given: a statement that takes a while, so that requests queue up behind it
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    try (StatementBatcher<Integer, Integer> batcher =
        new StatementBatcher<>(
            "test-batcher",
            jdbi,
            500,
            "square numbers",
            (handle, requests) -> {
              batchSizes.add(requests.size());
              handle.createQuery("SELECT pg_sleep(0.02)").mapTo(String.class).one();
              return requests.stream().map(n -> n * n).toList();
            })) {

      // when
      List<Integer> answers = Concurrently.run(200, i -> batcher.submit(i));

      // then
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i)).isEqualTo(i * i);
      }
      assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
      assertThat(batchSizes).hasSizeLessThan(50);
    }
  }

  @Test
  void aRefusedRequestFailsOnlyItsOwnCaller() throws Exception {
    // given: a statement the database refuses whenever the batch holds a zero
    try (StatementBatcher<Integer, Integer> batcher =
        new StatementBatcher<>(
            "test-batcher",
            jdbi,
            500,
            "divide",
            (handle, requests) ->
                requests.stream()
                    .map(
                        n ->
                            handle
                                .createQuery("SELECT 100 / :n")
                                .bind("n", n)
                                .mapTo(Integer.class)
                                .one())
                    .toList())) {

      // when
      List<Object> answers =
          Concurrently.run(
              20,
              i -> {
                try {
                  return batcher.submit(i % 10);
                } catch (TriggersException e) {
                  return e;
                }
              });

      // then
      for (int i = 0; i < answers.size(); i++) {
        if (i % 10 == 0) {
          assertThat(answers.get(i)).isInstanceOf(TriggersException.class);
        } else {
          assertThat(answers.get(i)).isEqualTo(100 / (i % 10));
        }
      }
    }
  }

  @Test
  void runsABatchRolledBackInADeadlockAgainAfterAWait() throws SQLException {
    // given: a statement that PostgreSQL rolls back as a deadlock victim the first time, on one
    // connection kept open, so that the time between its runs is the batcher's own
    List<Long> started = new CopyOnWriteArrayList<>();
    List<Long> rolledBack = new CopyOnWriteArrayList<>();
    Connection kept = TestDatabase.connect(settings);
    Jdbi onKeptConnection =
        Jdbi.create(
            new ConnectionFactory() {
              @Override
              public Connection openConnection() {
                return kept;
              }

              @Override
              public void closeConnection(Connection connection) {}
            });
    try (kept;
        StatementBatcher<Integer, Integer> batcher =
            new StatementBatcher<>(
                "test-batcher",
                onKeptConnection,
                10,
                "echo",
                (handle, requests) -> {
                  started.add(System.nanoTime());
                  if (started.size() == 1) {
                    try {
                      handle.execute(
                          "DO $$ BEGIN RAISE EXCEPTION 'chosen as the victim'"
                              + " USING ERRCODE = 'deadlock_detected'; END $$");
                    } finally {
                      rolledBack.add(System.nanoTime());
                    }
                  }
                  return requests;
                })) {

      // when
      int answer = batcher.submit(7);

      // then: answered by the second run, which waited for the transaction that went on
      assertThat(answer).isEqualTo(7);
      assertThat(started).hasSize(2);
      assertThat(Duration.ofNanos(started.get(1) - rolledBack.getFirst()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(10));
    }
  }

  @Test
  void refusesRequestsOnceClosed() {
    // given
    StatementBatcher<Integer, Integer> batcher =
        new StatementBatcher<>("test-batcher", jdbi, 10, "echo", (handle, requests) -> requests);
    assertThat(batcher.submit(7)).isEqualTo(7);

    // when
    batcher.close();

    // then
    assertThatThrownBy(() -> batcher.submit(8)).isInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void runsTheBatchesOfSeveralWritersAtTheSameTime() throws Exception {
    // given two writers, batches of one row, and a statement that waits for a second one to start
    CountDownLatch running = new CountDownLatch(2);
    try (StatementBatcher<Integer, Boolean> batcher =
        new StatementBatcher<>(
            StatementBatcher.Settings.<Integer>of("test-batcher", 1).withWriters(2),
            jdbi,
            "meet",
            (handle, requests) -> {
              running.countDown();
              boolean met = await(running);
              return requests.stream().map(n -> met).toList();
            })) {

      // when
      List<Boolean> answers = Concurrently.run(2, i -> batcher.submit(i));

      // then each batch ran while the other was running
      assertThat(answers).containsExactly(true, true);
    }
  }

  @Test
  void boundsBatchesInRowsAndCarriesARequestThatWouldOverflowOneToTheNext() throws Exception {
    // given batches of at most 10 rows, each request counting for as many rows as its value,
    // and the writer held by a first request while others queue up in a known order
    CountDownLatch release = new CountDownLatch(1);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    try (StatementBatcher<Integer, Integer> batcher =
            new StatementBatcher<>(
                StatementBatcher.Settings.<Integer>of("test-batcher", 10).withRows(n -> n),
                jdbi,
                "count rows",
                (handle, requests) -> {
                  batches.add(requests);
                  await(release);
                  return requests;
                });
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> holder = callers.submit(() -> batcher.submit(1));
      awaitThat(() -> batches.size() == 1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int rows : List.of(4, 4, 15, 4)) {
        answers.add(callers.submit(() -> batcher.submit(rows)));
        int queued = answers.size();
        awaitThat(() -> batcher.queued() == queued);
      }

      // when
      release.countDown();

      // then the third request, which would overflow the second batch, leads the next one alone
      assertThat(holder.get()).isEqualTo(1);
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i).get()).isEqualTo(List.of(4, 4, 15, 4).get(i));
      }
      assertThat(batches).containsExactly(List.of(1), List.of(4, 4), List.of(15), List.of(4));
    }
  }

  @Test
  void aLoneRequestIsNotHeldBackByTheLinger() throws Exception {
    // given a linger far longer than the test waits
    try (StatementBatcher<Integer, Integer> batcher =
            new StatementBatcher<>(
                StatementBatcher.Settings.<Integer>of("test-batcher", 10)
                    .withWriters(2)
                    .withLinger(PATIENCE.multipliedBy(4)),
                jdbi,
                "echo",
                (handle, requests) -> requests);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {

      // when
      Future<Integer> answer = callers.submit(() -> batcher.submit(7));

      // then no other batch is in flight, so it runs at once
      assertThat(answer).succeedsWithin(PATIENCE).isEqualTo(7);
    }
  }

  @Test
  void aWriterThatLingersRunsItsBatchOnceTheLingerIsOverWhileAnotherBatchIsStillInFlight()
      throws Exception {
    // given two writers, one of them held by a batch in flight
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (StatementBatcher<Integer, Integer> batcher =
            new StatementBatcher<>(
                StatementBatcher.Settings.<Integer>of("test-batcher", 10)
                    .withWriters(2)
                    .withLinger(Duration.ofMillis(5)),
                jdbi,
                "echo",
                (handle, requests) -> {
                  if (requests.contains(0)) {
                    holding.countDown();
                    await(release);
                  }
                  return requests;
                });
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> held = callers.submit(() -> batcher.submit(0));
      assertThat(await(holding)).isTrue();

      // when
      Future<Integer> lingering = callers.submit(() -> batcher.submit(7));

      // then
      assertThat(lingering).succeedsWithin(PATIENCE).isEqualTo(7);
      assertThat(held).isNotDone();
      release.countDown();
      assertThat(held).succeedsWithin(PATIENCE).isEqualTo(0);
    }
  }

  @Test
  void aBatchThatGetsNoConnectionFailsWhatQueuedMeanwhileWithoutAskingForAnother()
      throws Exception {
    // given a pool that has no connection to give, and says so once told to
    CountDownLatch refuse = new CountDownLatch(1);
    AtomicInteger asked = new AtomicInteger();
    Jdbi noConnections =
        Jdbi.create(
            () -> {
              asked.incrementAndGet();
              await(refuse);
              throw new SQLTransientConnectionException("connection is not available");
            });
    try (StatementBatcher<Integer, Integer> batcher =
            new StatementBatcher<>(
                StatementBatcher.Settings.<Integer>of("test-batcher", 1)
                    .failingQueuedWithoutConnection(),
                noConnections,
                "echo",
                (handle, requests) -> requests);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> answers = new ArrayList<>();
      answers.add(callers.submit(() -> batcher.submit(0)));
      awaitThat(() -> asked.get() == 1);
      for (int i = 1; i <= 3; i++) {
        int request = i;
        answers.add(callers.submit(() -> batcher.submit(request)));
      }
      awaitThat(() -> batcher.queued() == 3);

      // when
      refuse.countDown();

      // then all fail as unavailable, and no connection was asked for after the first
      for (Future<Integer> answer : answers) {
        assertThat(answer)
            .failsWithin(PATIENCE)
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(StorageUnavailableException.class);
      }
      assertThat(asked).hasValue(1);
    }
  }

  /** Waits for the latch, for up to the test's patience; whether it opened. */
  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void awaitThat(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the batcher never reached the state the test waits for");
      }
      Thread.sleep(5);
    }
  }
}

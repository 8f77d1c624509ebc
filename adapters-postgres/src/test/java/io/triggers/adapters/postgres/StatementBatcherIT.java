package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import io.triggers.core.testing.Concurrently;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatementBatcherIT {

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
}

package io.triggers.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs the same action on many threads released at one moment, to provoke races in tests. */
public final class Concurrently {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Concurrently() {}

  /**
   * Calls {@code action} with 0 to {@code threads - 1}, each on its own thread, all starting
   * together; returns the results in that order and rethrows the first failure.
   */
  public static <T> List<T> run(int threads, IntFunction<T> action) throws Exception {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>(threads);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return action.apply(index);
                }));
      }
      ready.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      go.countDown();
      List<T> results = new ArrayList<>(threads);
      for (Future<T> future : futures) {
        try {
          results.add(future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
      return results;
    }
  }
}

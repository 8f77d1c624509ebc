package io.triggers.adapters.http;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits in tests for what another thread or the server makes true. */
final class Conditions {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  private Conditions() {}

  /** Returns once {@code condition} holds; fails the test if it does not within 30 s. */
  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the condition did not come true within 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

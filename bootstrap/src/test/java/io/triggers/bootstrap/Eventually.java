package io.triggers.bootstrap;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting, in the integration tests, for what a running server does in its own time. */
final class Eventually {

  private Eventually() {}

  /** Waits until {@code condition} holds, failing after {@code patience}. */
  static void await(Duration patience, BooleanSupplier condition) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the condition did not come true within " + patience);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }
}

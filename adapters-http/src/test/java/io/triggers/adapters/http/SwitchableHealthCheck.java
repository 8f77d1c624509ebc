package io.triggers.adapters.http;

import io.triggers.core.model.Health;
import io.triggers.core.port.out.HealthCheck;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A readiness probe whose answer a test sets, and which a test can hold up to keep a request in
 * flight.
 */
final class SwitchableHealthCheck implements HealthCheck {

  private final AtomicReference<Health> health = new AtomicReference<>(Health.up());
  private volatile boolean live = true;
  private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
  private final AtomicReference<CountDownLatch> entered =
      new AtomicReference<>(new CountDownLatch(0));

  @Override
  public String name() {
    return "store";
  }

  @Override
  public Health check() {
    entered.get().countDown();
    try {
      gate.get().await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return health.get();
  }

  @Override
  public boolean live() {
    return live;
  }

  void reportLive(boolean next) {
    live = next;
  }

  void report(Health next) {
    health.set(next);
  }

  /**
   * Makes the next checks wait until {@link #release}; returns a latch that opens once one waits.
   */
  CountDownLatch hold() {
    gate.set(new CountDownLatch(1));
    CountDownLatch waiting = new CountDownLatch(1);
    entered.set(waiting);
    return waiting;
  }

  void release() {
    gate.get().countDown();
  }
}

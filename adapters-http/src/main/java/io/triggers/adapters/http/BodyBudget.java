package io.triggers.adapters.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies being read or handled may hold together. Each body reserves its
 * share as its buffer grows and gives it back once the endpoint is done with it or the read fails,
 * so that many slow or stalled uploads cannot add up to more than the budget. Thread-safe.
 */
final class BodyBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a body budget must be at least one byte");
    }
    this.capacity = capacity;
  }

  /** A new, empty reservation against this budget. */
  Reservation reservation() {
    return new Reservation();
  }

  /** The bytes reserved right now by all bodies together. */
  long used() {
    return used.get();
  }

  long capacity() {
    return capacity;
  }

  private boolean tryTake(long bytes) {
    long current;
    do {
      current = used.get();
      if (current + bytes > capacity) {
        return false;
      }
    } while (!used.compareAndSet(current, current + bytes));
    return true;
  }

  /**
   * The share of one body. {@link #release} gives back all of it and may be called any number of
   * times from any thread; a reservation that was released reserves nothing more.
   */
  final class Reservation {

    private long held;
    private boolean released;

    private Reservation() {}

    /**
     * Takes {@code bytes} more from the budget, or nothing and returns false if it has not got
     * them.
     */
    synchronized boolean grow(long bytes) {
      if (released || !tryTake(bytes)) {
        return false;
      }
      held += bytes;
      return true;
    }

    synchronized void release() {
      if (!released) {
        released = true;
        used.addAndGet(-held);
        held = 0;
      }
    }

    synchronized long held() {
      return held;
    }
  }
}

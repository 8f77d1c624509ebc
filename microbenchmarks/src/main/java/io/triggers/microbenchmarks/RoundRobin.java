package io.triggers.microbenchmarks;

import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Each benchmark thread's walk over an array of organizations or keys, starting somewhere random so
 * that threads do not move in step.
 */
@State(Scope.Thread)
public class RoundRobin {

  private int next;

  @Setup
  public void start() {
    next = ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
  }

  /** The next index below {@code size}. */
  int next(int size) {
    next = next + 1 >= size ? 0 : next + 1;
    return next;
  }
}

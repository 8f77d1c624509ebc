package io.triggers.architecture.violations.core.memory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Wrong on purpose: an in-memory adapter of core that starts threads of its own. */
public final class InMemoryStoreThatFlushesInTheBackground {

  private final ExecutorService flusher = Executors.newSingleThreadExecutor();

  /** Flushes in every way a thread can be had. */
  public void flush() {
    flusher.execute(() -> {});
    new Thread(() -> {}).start();
    Thread.ofVirtual().unstarted(() -> {});
  }
}

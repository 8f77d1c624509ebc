package io.triggers.core.embed;

import io.triggers.core.delivery.WebhookDispatcher;
import io.triggers.core.port.in.PurgeExpiredEvents;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** What an embedded {@link Triggers} runs between start and close, and the resources it closes. */
final class BackgroundWork implements AutoCloseable {

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final Optional<WebhookDispatcher> dispatcher;
  private final Duration stopGrace;
  private final PurgeExpiredEvents retention;
  private final Duration retentionPeriod;
  private final List<AutoCloseable> resources;
  private final Logger log;
  private ScheduledExecutorService scheduler;
  private State state = State.NEW;

  BackgroundWork(
      Optional<WebhookDispatcher> dispatcher,
      Duration stopGrace,
      PurgeExpiredEvents retention,
      Duration retentionPeriod,
      List<AutoCloseable> resources,
      Logger log) {
    this.dispatcher = dispatcher;
    this.stopGrace = stopGrace;
    this.retention = retention;
    this.retentionPeriod = retentionPeriod;
    this.resources = List.copyOf(resources);
    this.log = log;
  }

  synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("Triggers was already " + state.name().toLowerCase());
    }
    state = State.STARTED;
    dispatcher.ifPresent(WebhookDispatcher::start);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("triggers-retention").daemon().factory());
    long millis = retentionPeriod.toMillis();
    scheduler.scheduleWithFixedDelay(this::purge, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void purge() {
    try {
      int deleted = retention.purgeExpired();
      if (deleted > 0) {
        log.log(Level.INFO, "retention deleted {0} expired events", deleted);
      }
    } catch (RuntimeException e) {
      // An outage of the store must not end the schedule; the next run tries again.
      log.log(Level.WARNING, "retention could not delete expired events: {0}", e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean started = state == State.STARTED;
    state = State.CLOSED;
    if (started) {
      dispatcher.ifPresent(running -> running.stop(stopGrace));
      scheduler.shutdownNow();
    }
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    RuntimeException failure = null;
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + resource + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}

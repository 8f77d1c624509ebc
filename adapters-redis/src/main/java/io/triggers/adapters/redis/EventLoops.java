package io.triggers.adapters.redis;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Netty event loops that run a client's channels, learnt as each channel is set up, so that
 * code running on one of them can hand it more work: a command written from a channel's own loop
 * goes straight into the channel, where one written from another thread wakes the loop to do it.
 * Thread-safe; holds at most one entry per loop of the client's group.
 */
final class EventLoops {

  private final List<EventLoop> loops = new CopyOnWriteArrayList<>();

  void add(EventLoop loop) {
    if (!loops.contains(loop)) {
      loops.add(loop);
    }
  }

  /** The loop that the calling thread runs, if it is one of these. */
  Optional<EventLoop> current() {
    for (EventLoop loop : loops) {
      if (loop.inEventLoop()) {
        return Optional.of(loop);
      }
    }
    return Optional.empty();
  }
}

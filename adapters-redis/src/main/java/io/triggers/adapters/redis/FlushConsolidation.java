package io.triggers.adapters.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.Objects;

/**
 * Lets the commands that many threads send at the same moment leave in one write: each command
 * still asks for a flush, but the flushes of one event-loop turn become a single system call. Also
 * tells {@link EventLoops} which loop runs each channel.
 */
final class FlushConsolidation implements NettyCustomizer {

  /** However busy the connection, a flush goes out after this many were asked for. */
  private static final int MOST_FLUSHES_HELD = 256;

  private final EventLoops eventLoops;

  FlushConsolidation(EventLoops eventLoops) {
    this.eventLoops = Objects.requireNonNull(eventLoops, "eventLoops");
  }

  @Override
  public void afterChannelInitialized(Channel channel) {
    channel.pipeline().addFirst(new FlushConsolidationHandler(MOST_FLUSHES_HELD, true));
    eventLoops.add(channel.eventLoop());
  }
}

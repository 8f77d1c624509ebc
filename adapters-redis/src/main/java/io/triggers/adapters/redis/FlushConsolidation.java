package io.triggers.adapters.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets the commands that many threads send at the same moment leave in one write: each command
 * still asks for a flush, but the flushes of one event-loop turn become a single system call.
 */
final class FlushConsolidation implements NettyCustomizer {

  /** However busy the connection, a flush goes out after this many were asked for. */
  private static final int MOST_FLUSHES_HELD = 256;

  @Override
  public void afterChannelInitialized(Channel channel) {
    channel.pipeline().addFirst(new FlushConsolidationHandler(MOST_FLUSHES_HELD, true));
  }
}

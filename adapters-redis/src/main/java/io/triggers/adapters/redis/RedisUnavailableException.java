package io.triggers.adapters.redis;

import io.triggers.core.model.TriggersException;

/**
 * Thrown when Redis cannot answer in time (unreachable, restarting, overloaded or refusing the
 * command), so that a caller can fall back to an in-process implementation; the cause says why.
 */
public final class RedisUnavailableException extends TriggersException {

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

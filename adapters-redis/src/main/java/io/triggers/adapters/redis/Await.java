package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Waits for a command's answer without a timer of its own. The connection expires every command
 * after the command timeout (Lettuce's timeout options), so the wait still ends in time; leaving
 * the timer to the connection spares each waiting virtual thread a scheduled wake-up and its
 * cancellation, which under load cost more than the command itself.
 */
final class Await {

  private Await() {}

  /** The answer, or the command's failure as Lettuce's own exception. */
  static <T> T result(CompletionStage<T> command) {
    try {
      return command.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RedisException failure) {
        throw failure;
      }
      throw new RedisException("the Redis command failed", e.getCause());
    }
  }
}

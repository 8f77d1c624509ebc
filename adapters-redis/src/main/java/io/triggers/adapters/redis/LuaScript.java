package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script shipped next to this class, loaded once and then run by its SHA-1 digest, so that
 * only the digest travels with each call. Redis forgets scripts on restart, failover and {@code
 * SCRIPT FLUSH}; the first run after that gets NOSCRIPT, loads the script again and runs it again.
 */
final class LuaScript {

  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** Reads a script from this package's resources; a missing one is a packaging bug. */
  static LuaScript fromResource(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script " + name);
      }
      return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + name, e);
    }
  }

  String sha() {
    return sha;
  }

  /**
   * Loads the script ahead of its first run, so that runs do not start by failing over to a load;
   * if Redis cannot be reached now, the first run loads it.
   */
  void preload(RedisClusterCommands<String, String> redis) {
    try {
      redis.scriptLoad(source);
    } catch (RedisException e) {
      // The first run loads it; the adapter's callers see any failure then.
    }
  }

  /** Runs the script; Lettuce's exceptions pass through for the caller to translate. */
  <T> T run(
      RedisClusterCommands<String, String> redis,
      ScriptOutputType output,
      String[] keys,
      String... args) {
    try {
      return redis.evalsha(sha, output, keys, args);
    } catch (RedisNoScriptException e) {
      redis.scriptLoad(source);
      return redis.evalsha(sha, output, keys, args);
    }
  }

  /** Runs the script without waiting; the stage fails with Lettuce's exception. */
  <T> CompletionStage<T> runAsync(
      RedisClusterAsyncCommands<String, String> redis,
      ScriptOutputType output,
      String[] keys,
      String... args) {
    CompletionStage<T> first = redis.evalsha(sha, output, keys, args);
    return first.exceptionallyCompose(
        failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof RedisNoScriptException) {
            return redis
                .scriptLoad(source)
                .thenCompose(loaded -> redis.<T>evalsha(sha, output, keys, args));
          }
          return CompletableFuture.failedStage(cause);
        });
  }

  private static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}

package io.triggers.adapters.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.triggers.core.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import redis.embedded.RedisServer;

/**
 * The Redis the integration tests run against: the one {@code TRIGGERS_TEST_REDIS_URL} points at,
 * or else one embedded server per test JVM on a free port. Also starts private servers for tests
 * that stop and restart Redis.
 */
public final class TestRedis {

  private static final String URL_VARIABLE = "TRIGGERS_TEST_REDIS_URL";

  private static String url;
  private static StatefulRedisConnection<String, String> admin;

  private TestRedis() {}

  /** The shared server's URL, starting it on first use. */
  public static synchronized String url() {
    if (url == null) {
      String given = System.getenv(URL_VARIABLE);
      url = given != null && !given.isBlank() ? given : "redis://127.0.0.1:" + start().port();
    }
    return url;
  }

  /** Plain commands on the shared server, for arranging and inspecting state. */
  public static synchronized RedisCommands<String, String> admin() {
    if (admin == null) {
      RedisClient client = RedisClient.create(url());
      admin = client.connect();
      Runtime.getRuntime().addShutdownHook(new Thread(client::shutdown));
    }
    return admin.sync();
  }

  /** Empties the shared server, scripts included, so that each test starts from nothing. */
  public static void flushAll() {
    admin().flushall();
    admin().scriptFlush();
  }

  /** Starts a new embedded server on a free port, stopped when the JVM exits. */
  public static Server start() {
    Server server = new Server(FreePorts.belowEphemeralRange());
    server.start();
    return server;
  }

  /**
   * Starts a new embedded server on a free port as a Redis Cluster of one node that serves every
   * hash slot, stopped when the JVM exits: it refuses, as a cluster does, a command whose keys lie
   * in different slots.
   */
  public static Server startClusterOfOne() {
    int port = FreePorts.belowEphemeralRange();
    Path nodes;
    try {
      nodes = Files.createTempDirectory("redis-cluster").resolve("nodes.conf");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Server server =
        new Server(port, List.of("cluster-enabled yes", "cluster-config-file " + nodes));
    server.start();
    RedisClient client = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().clusterAddSlots(IntStream.range(0, SlotHash.SLOT_COUNT).toArray());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!connection.sync().clusterInfo().contains("cluster_state:ok")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster of one did not come up");
        }
        Thread.onSpinWait();
      }
    } finally {
      client.shutdown();
    }
    return server;
  }

  /** An embedded Redis without persistence, so a restart comes back empty, as after a loss. */
  public static final class Server {

    private final int port;
    private final RedisServer redis;

    private Server(int port) {
      this(port, List.of());
    }

    private Server(int port, List<String> settings) {
      this.port = port;
      try {
        var builder =
            RedisServer.newRedisServer()
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true);
        settings.forEach(builder::setting);
        this.redis = builder.build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public int port() {
      return port;
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    public void start() {
      try {
        redis.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public void stop() {
      try {
        redis.stop();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** How many members the sorted set at {@code key} holds on the running server (ZCARD). */
    public long sortedSetSize(String key) {
      RedisClient client = RedisClient.create(url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        return connection.sync().zcard(key);
      } finally {
        client.shutdown();
      }
    }

    /** Empties the running server, as an operator's FLUSHALL would. */
    public void flushAll() {
      RedisClient client = RedisClient.create(url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().flushall();
      } finally {
        client.shutdown();
      }
    }
  }
}

package io.triggers.bootstrap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * The Redis of the integration tests: the one {@code TRIGGERS_TEST_REDIS_URL} points at, or else
 * one embedded server per test JVM on a free port. Tests that stop and restart Redis start private
 * embedded servers.
 */
final class TestRedis {

  private static final String URL_VARIABLE = "TRIGGERS_TEST_REDIS_URL";

  private static String url;

  private TestRedis() {}

  /** The shared server's URL, starting it on first use. */
  static synchronized String url() {
    if (url == null) {
      String given = System.getenv(URL_VARIABLE);
      url = given != null && !given.isBlank() ? given : start().url();
    }
    return url;
  }

  /** Starts a new embedded server on a free port, stopped when the JVM exits at the latest. */
  static Server start() {
    Server server = new Server(freePort());
    server.start();
    return server;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An embedded Redis without persistence, so a restart comes back empty, as after a loss. */
  static final class Server {

    private final int port;
    private final RedisServer redis;

    private Server(int port) {
      this.port = port;
      try {
        this.redis =
            RedisServer.newRedisServer()
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true)
                .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    void start() {
      try {
        redis.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void stop() {
      try {
        redis.stop();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Empties the running server, as an operator's FLUSHALL would. */
    void flushAll() {
      RedisClient client = RedisClient.create(url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().flushall();
      } finally {
        client.shutdown();
      }
    }
  }
}

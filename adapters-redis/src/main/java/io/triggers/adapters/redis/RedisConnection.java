package io.triggers.adapters.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one Redis server and the factory of the ports that use it: rate limiter,
 * deduplicator, delivery queue, organization changes and health check.
 *
 * <p>It owns a Lettuce client and one shared, thread-safe connection that carries every command of
 * every port, pipelined, never MULTI or blocking; each delivery queue gets one more connection of
 * its own for its blocking reads, and each organization changes one for its subscription. Commands
 * time out after {@value #COMMAND_TIMEOUT_MILLIS} ms and, while Redis is unreachable, fail at once
 * instead of queueing; the ports turn such failures into {@link RedisUnavailableException} (or a
 * logged count, where the port says a failure is harmless), so that callers can fall back to
 * in-process implementations. Lost connections are re-established in the background (attempts at
 * most a second apart), so the ports work again once Redis is back, without a new {@code
 * RedisConnection}; so are connections that could not be made at the start, so that a node can
 * start while Redis is down.
 *
 * <p>The keys are ready for Redis Cluster (hash tags), but this class connects to a single server,
 * master or proxy.
 */
public final class RedisConnection implements AutoCloseable {

  static final long COMMAND_TIMEOUT_MILLIS = 500;

  /** How often a failure that callers do not see (a dropped queue write) is logged at most. */
  static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(COMMAND_TIMEOUT_MILLIS);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHUTDOWN_QUIET_PERIOD = Duration.ofMillis(100);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  /** How often a connection that could not be made at the start is tried again. */
  private static final Duration CONNECT_RETRY_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

  private final ClientResources resources;
  private final RedisClient client;
  private final String address;
  private final Pending<StatefulRedisConnection<String, String>> shared;
  private final List<Pending<?>> pending = new CopyOnWriteArrayList<>();
  private final ReentrantLock connectorLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Connects what is still pending, while anything is; guarded by {@link #connectorLock}. */
  private Thread connector;

  private RedisConnection(ClientResources resources, RedisClient client, RedisURI uri) {
    this.resources = resources;
    this.client = client;
    this.address = uri.getHost() + ":" + uri.getPort();
    this.shared = pending(client::connect);
  }

  /**
   * Connects to {@code redis://[password@]host:port[/database]} ({@code rediss://} for TLS); the
   * URL's own timeout, if any, is replaced. Throws {@link IllegalArgumentException} for a malformed
   * URL. If Redis cannot be reached now, the connection is made in the background, about once a
   * second until Redis answers: meanwhile the ports fail at once with {@link
   * RedisUnavailableException} (or a logged count, where a port says a failure is harmless), as
   * while a connection is lost.
   */
  public static RedisConnection connect(String redisUrl) {
    RedisURI uri;
    try {
      uri = RedisURI.create(redisUrl);
    } catch (IllegalArgumentException e) {
      // Without the cause, whose message repeats the URL and so perhaps its password.
      throw new IllegalArgumentException(
          "the Redis URL is malformed; expected redis://[password@]host:port[/database]"
              + " or rediss://...");
    }
    uri.setTimeout(COMMAND_TIMEOUT);
    ClientResources resources =
        DefaultClientResources.builder()
            .nettyCustomizer(new FlushConsolidation())
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled())
            // A managed-Redis feature that relaxes timeouts during failovers, which would delay
            // the fallback that short timeouts are for.
            .maintNotificationsConfig(MaintNotificationsConfig.disabled())
            .socketOptions(
                SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
            .build());
    RedisConnection connection = new RedisConnection(resources, client, uri);
    if (!connection.shared.open()) {
      LOG.warn(
          "Redis at {} cannot be reached ({}); going on without it, and connecting in the"
              + " background",
          connection.address,
          connection.shared.lastFailure());
      connection.startConnector();
    }
    return connection;
  }

  /** Whether the connection every port shares is made; once made, it is remade by itself. */
  public boolean isConnected() {
    return shared.isOpen();
  }

  /**
   * A rate limiter shared with every node on the same Redis, reading the time from {@code clock}.
   */
  public RateLimiter rateLimiter(Clock clock) {
    preload(RedisRateLimiter.GCRA);
    return new RedisRateLimiter(() -> shared.get().async(), clock);
  }

  /** A deduplicator shared with every node on the same Redis, holding claims for {@code ttl}. */
  public Deduplicator deduplicator(Duration ttl) {
    preload(RedisDeduplicator.RELEASE);
    return new RedisDeduplicator(() -> shared.get().async(), ttl);
  }

  /**
   * The delivery queue shared with every node on the same Redis, read as {@code consumerName}
   * (unique per node, stable across its restarts), handing out again a task not completed within
   * {@code visibilityTimeout}, and holding about {@code maxLength} tasks due now plus as many due
   * later. Its blocking reads have a connection of their own, made now or, if Redis cannot be
   * reached, in the background; until then {@code take} throws {@link RedisUnavailableException}.
   */
  public RedisDeliveryQueue deliveryQueue(
      Clock clock, String consumerName, Duration visibilityTimeout, long maxLength) {
    Pending<StatefulRedisConnection<String, String>> blocking =
        pending(
            () -> {
              StatefulRedisConnection<String, String> connection = client.connect();
              connection.setTimeout(RedisDeliveryQueue.LONGEST_BLOCK.plus(COMMAND_TIMEOUT));
              return connection;
            });
    openOrLater(blocking);
    preload(RedisDeliveryQueue.ENQUEUE, RedisDeliveryQueue.PROMOTE);
    return new RedisDeliveryQueue(
        () -> shared.get().sync(),
        () -> shared.get().async(),
        () -> blocking.get().async(),
        COMMAND_TIMEOUT,
        clock,
        consumerName,
        visibilityTimeout,
        maxLength);
  }

  /**
   * News of organization changes shared with every node on the same Redis. Subscribes on a
   * connection of its own, made now or, if Redis cannot be reached, in the background; a
   * subscription made late tells the listeners that they may have missed changes.
   */
  public OrganizationChanges organizationChanges() {
    RedisOrganizationChanges changes = new RedisOrganizationChanges(() -> shared.get().sync());
    AtomicBoolean starting = new AtomicBoolean(true);
    openOrLater(
        pending(
            () -> {
              StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub();
              try {
                subscription.addListener(changes.subscriber(!starting.get()));
                subscription.sync().subscribe(RedisOrganizationChanges.CHANNEL);
                return subscription;
              } catch (RedisException e) {
                subscription.close();
                throw e;
              }
            }));
    starting.set(false);
    return changes;
  }

  /** Named {@code redis}: UP when Redis answers PING in time, else DEGRADED, never DOWN. */
  public HealthCheck healthCheck() {
    return new RedisHealthCheck(() -> shared.get().async(), COMMAND_TIMEOUT);
  }

  /** Closes the connections and releases the client's threads; the ports fail afterwards. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connectorLock.lock();
    try {
      if (connector != null) {
        connector.interrupt();
      }
    } finally {
      connectorLock.unlock();
    }
    pending.forEach(Pending::close);
    shutdown(client, resources);
  }

  private <C extends StatefulConnection<String, String>> Pending<C> pending(Supplier<C> opener) {
    Pending<C> connection = new Pending<>(opener);
    pending.add(connection);
    return connection;
  }

  /**
   * Opens a dedicated connection now if the shared one is open, else leaves it to the connector.
   */
  private void openOrLater(Pending<?> connection) {
    if (!shared.isOpen() || !connection.open()) {
      startConnector();
    }
  }

  /** Loads scripts ahead of their first run, if Redis can be reached now; else the run loads it. */
  private void preload(LuaScript... scripts) {
    if (!shared.isOpen()) {
      return;
    }
    for (LuaScript script : scripts) {
      script.preload(shared.get().sync());
    }
  }

  private void startConnector() {
    connectorLock.lock();
    try {
      if (closed.get() || (connector != null && connector.isAlive())) {
        return;
      }
      connector =
          Thread.ofPlatform().daemon().name("triggers-redis-connector").start(this::connectAll);
    } finally {
      connectorLock.unlock();
    }
  }

  /**
   * Tries the pending connections about once a second, the shared one first, until all are open.
   * Lettuce itself remakes a connection once it was made, so this is needed only at the start.
   */
  private void connectAll() {
    while (!closed.get()) {
      try {
        Thread.sleep(CONNECT_RETRY_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      if (!shared.open()) {
        continue;
      }
      boolean allOpen = true;
      for (Pending<?> connection : pending) {
        allOpen &= connection.open();
      }
      if (allOpen) {
        connectorLock.lock();
        try {
          // A port made meanwhile may have found the connector still running; look once more.
          if (pending.stream().allMatch(Pending::isOpen) || closed.get()) {
            connector = null;
            LOG.info("Connected to Redis at {}", address);
            return;
          }
        } finally {
          connectorLock.unlock();
        }
      }
    }
  }

  /**
   * A connection that is made once Redis can be reached; until then {@link #get} fails at once, as
   * commands do while a connection is lost. Thread-safe.
   */
  private final class Pending<C extends StatefulConnection<String, String>> {

    private final Supplier<C> opener;
    private final ReentrantLock opening = new ReentrantLock();
    private volatile C connection;
    private volatile String lastFailure = "not tried yet";

    Pending(Supplier<C> opener) {
      this.opener = opener;
    }

    C get() {
      C open = connection;
      if (open == null) {
        throw new RedisConnectionException("not connected to Redis yet: " + lastFailure);
      }
      return open;
    }

    boolean isOpen() {
      return connection != null;
    }

    String lastFailure() {
      return lastFailure;
    }

    /** Opens the connection unless it is open; whether it is open afterwards. */
    boolean open() {
      opening.lock();
      try {
        if (connection != null) {
          return true;
        }
        if (closed.get()) {
          return false;
        }
        try {
          connection = opener.get();
        } catch (RedisException e) {
          lastFailure = describe(e);
          return false;
        }
        if (closed.get()) {
          // Closed while this was opening: close() may have passed it by.
          connection.close();
        }
        return true;
      } finally {
        opening.unlock();
      }
    }

    void close() {
      opening.lock();
      try {
        if (connection != null) {
          connection.close();
        }
      } finally {
        opening.unlock();
      }
    }
  }

  /** The failure and its causes' messages, which name the host and port but not the password. */
  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  /**
   * Lets the commands that many threads send at the same moment leave in one write: each command
   * still asks for a flush, but the flushes of one event-loop turn become a single system call.
   */
  private static final class FlushConsolidation implements NettyCustomizer {

    /** However busy the connection, a flush goes out after this many were asked for. */
    private static final int MOST_FLUSHES_HELD = 256;

    @Override
    public void afterChannelInitialized(Channel channel) {
      channel.pipeline().addFirst(new FlushConsolidationHandler(MOST_FLUSHES_HELD, true));
    }
  }

  /** With a short quiet period, so a reconnect attempt still under way can end in peace. */
  private static void shutdown(RedisClient client, ClientResources resources) {
    client.shutdown(SHUTDOWN_QUIET_PERIOD, SHUTDOWN_TIMEOUT);
    resources.shutdown(
        SHUTDOWN_QUIET_PERIOD.toMillis(), SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}

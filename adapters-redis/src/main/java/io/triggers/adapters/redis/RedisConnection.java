package io.triggers.adapters.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
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
 * RedisConnection}.
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

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> shared;
  private final List<StatefulRedisConnection<String, String>> dedicatedConnections =
      new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisConnection(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> shared) {
    this.resources = resources;
    this.client = client;
    this.shared = shared;
  }

  /**
   * Connects to {@code redis://[password@]host:port[/database]} ({@code rediss://} for TLS); the
   * URL's own timeout, if any, is replaced. Throws {@link RedisUnavailableException} if Redis
   * cannot be reached now, and {@link IllegalArgumentException} for a malformed URL.
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
    try {
      return new RedisConnection(resources, client, client.connect());
    } catch (RedisException e) {
      shutdown(client, resources);
      throw new RedisUnavailableException("cannot connect to Redis", e);
    }
  }

  /**
   * A rate limiter shared with every node on the same Redis, reading the time from {@code clock}.
   */
  public RateLimiter rateLimiter(Clock clock) {
    RedisRateLimiter.GCRA.preload(shared.sync());
    return new RedisRateLimiter(shared.async(), clock);
  }

  /** A deduplicator shared with every node on the same Redis, holding claims for {@code ttl}. */
  public Deduplicator deduplicator(Duration ttl) {
    RedisDeduplicator.RELEASE.preload(shared.sync());
    return new RedisDeduplicator(shared.async(), ttl);
  }

  /**
   * The delivery queue shared with every node on the same Redis, read as {@code consumerName}
   * (unique per node, stable across its restarts), handing out again a task not completed within
   * {@code visibilityTimeout}, and holding about {@code maxLength} tasks due now plus as many due
   * later. Opens a connection for its blocking reads; throws {@link RedisUnavailableException} if
   * that fails.
   */
  public RedisDeliveryQueue deliveryQueue(
      Clock clock, String consumerName, Duration visibilityTimeout, long maxLength) {
    StatefulRedisConnection<String, String> blocking;
    try {
      blocking = client.connect();
    } catch (RedisException e) {
      throw new RedisUnavailableException("cannot connect to Redis", e);
    }
    blocking.setTimeout(RedisDeliveryQueue.LONGEST_BLOCK.plus(COMMAND_TIMEOUT));
    dedicatedConnections.add(blocking);
    RedisDeliveryQueue.ENQUEUE.preload(shared.sync());
    RedisDeliveryQueue.PROMOTE.preload(shared.sync());
    return new RedisDeliveryQueue(
        shared.sync(),
        shared.async(),
        blocking.async(),
        COMMAND_TIMEOUT,
        clock,
        consumerName,
        visibilityTimeout,
        maxLength);
  }

  /**
   * News of organization changes shared with every node on the same Redis. Opens a connection of
   * its own and subscribes on it; throws {@link RedisUnavailableException} if that fails.
   */
  public OrganizationChanges organizationChanges() {
    RedisOrganizationChanges changes = new RedisOrganizationChanges(shared.sync());
    StatefulRedisPubSubConnection<String, String> subscription;
    try {
      subscription = client.connectPubSub();
    } catch (RedisException e) {
      throw new RedisUnavailableException("cannot connect to Redis", e);
    }
    dedicatedConnections.add(subscription);
    subscription.addListener(changes.subscriber());
    try {
      subscription.sync().subscribe(RedisOrganizationChanges.CHANNEL);
    } catch (RedisException e) {
      throw new RedisUnavailableException("cannot subscribe to organization changes", e);
    }
    return changes;
  }

  /** Named {@code redis}: UP when Redis answers PING in time, else DEGRADED, never DOWN. */
  public HealthCheck healthCheck() {
    return new RedisHealthCheck(shared.async(), COMMAND_TIMEOUT);
  }

  /** Closes the connections and releases the client's threads; the ports fail afterwards. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    dedicatedConnections.forEach(StatefulRedisConnection::close);
    shared.close();
    shutdown(client, resources);
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

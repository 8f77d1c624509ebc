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
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one Redis server and the factory of the ports that use it: rate limiter,
 * deduplicator, admission (both in one), delivery queue, organization changes and health check.
 *
 * <p>One shared, thread-safe connection carries every command of every port, pipelined, never MULTI
 * or blocking; a delivery queue's blocking reads and a subscription get connections of their own.
 * Commands time out after {@value #COMMAND_TIMEOUT_MILLIS} ms and, while Redis is unreachable, fail
 * at once instead of queueing, so that callers can fall back to in-process implementations;
 * connections lost, or not made at the start, are made again in the background. The keys are ready
 * for Redis Cluster (hash tags), but this class connects to a single server, master or proxy.
 */
public final class RedisConnection implements AutoCloseable {

  static final long COMMAND_TIMEOUT_MILLIS = 500;

  /** How often a failure that callers do not see (a dropped queue write) is logged at most. */
  static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(COMMAND_TIMEOUT_MILLIS);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHUTDOWN_QUIET_PERIOD = Duration.ofMillis(100);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

  private final ClientResources resources;
  private final RedisClient client;
  private final Connector connector;
  private final PendingConnection<StatefulRedisConnection<String, String>> shared;

  private RedisConnection(ClientResources resources, RedisClient client, RedisURI uri) {
    this.resources = resources;
    this.client = client;
    this.connector = new Connector(uri.getHost() + ":" + uri.getPort(), client::connect);
    this.shared = connector.shared();
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
          uri.getHost() + ":" + uri.getPort(),
          connection.shared.lastFailure());
      connection.connector.start();
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

  /**
   * The rate limits of {@link #rateLimiter} and the claims of {@link #deduplicator} with the same
   * {@code ttl}, shared with every node on the same Redis and decided in one round trip.
   */
  public Admission admission(Clock clock, Duration ttl) {
    preload(RedisRateLimiter.GCRA);
    return new RedisAdmission(() -> shared.get().async(), clock, ttl);
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
    PendingConnection<StatefulRedisConnection<String, String>> blocking =
        connector.add(
            () -> {
              StatefulRedisConnection<String, String> connection = client.connect();
              connection.setTimeout(RedisDeliveryQueue.LONGEST_BLOCK.plus(COMMAND_TIMEOUT));
              return connection;
            });
    connector.openOrLater(blocking);
    preload(TaskEnqueuing.ENQUEUE, RedisDeliveryQueue.PROMOTE);
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
    connector.openOrLater(
        connector.add(
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
    if (connector.close()) {
      shutdown(client, resources);
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

  /** With a short quiet period, so a reconnect attempt still under way can end in peace. */
  private static void shutdown(RedisClient client, ClientResources resources) {
    client.shutdown(SHUTDOWN_QUIET_PERIOD, SHUTDOWN_TIMEOUT);
    resources.shutdown(
        SHUTDOWN_QUIET_PERIOD.toMillis(), SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}

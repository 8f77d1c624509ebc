package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.adapters.redis.RedisConnection;
import io.triggers.adapters.redis.RedisFailOpenDeduplicator;
import io.triggers.adapters.redis.RedisFallbackAdmission;
import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.embed.TriggersDefaults;
import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.LocalAdmission;
import io.triggers.core.memory.LocalOrganizationChanges;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.OrganizationChanges;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rate limiting, the dedup short-cut, the delivery queue and the news of organization changes: in
 * process on a single node, shared through Redis by every node of a cluster, with in-process or
 * PostgreSQL fallbacks while Redis is unavailable.
 */
@Module
interface CoordinationModule {

  /** The connection every Redis port of this node shares; present in cluster mode only. */
  @Provides
  @Singleton
  static Optional<RedisConnection> redis(Mode mode, Settings settings, Resources resources) {
    if (mode != Mode.CLUSTER) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          resources.register(RedisConnection.connect(settings.redisUrl().orElseThrow())));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("TRIGGERS_REDIS_URL: " + e.getMessage());
    }
  }

  /**
   * The rate limit and the dedup claims of a request, in one round trip to Redis in a cluster
   * (counted on this node, with every claim granted, while Redis is unavailable), else in process
   * with the node's deduplicator.
   */
  @Provides
  @Singleton
  static Admission admission(
      Optional<RedisConnection> redis, Deduplicator deduplicator, Clock clock, Settings settings) {
    LocalRateLimiter local = new LocalRateLimiter(clock);
    return redis
        .<Admission>map(
            shared ->
                new RedisFallbackAdmission(
                    shared.admission(clock, TriggersDefaults.dedupClaimTtl(settings.retention())),
                    local,
                    System::nanoTime))
        .orElseGet(() -> new LocalAdmission(local, deduplicator));
  }

  @Provides
  @Singleton
  static Deduplicator deduplicator(
      Optional<RedisConnection> redis, Clock clock, Settings settings) {
    return redis
        .<Deduplicator>map(
            shared ->
                new RedisFailOpenDeduplicator(
                    shared.deduplicator(TriggersDefaults.dedupClaimTtl(settings.retention())),
                    System::nanoTime))
        .orElseGet(
            () ->
                new InMemoryDeduplicator(
                    clock,
                    TriggersDefaults.dedupClaimTtl(settings.retention()),
                    TriggersDefaults.DEDUP_CACHE_ENTRIES));
  }

  /**
   * In a cluster the Redis queue, whose {@code take} throws while Redis is unavailable, so that the
   * delivery workers pause, while the sweep of due deliveries from PostgreSQL fills in.
   */
  @Provides
  @Singleton
  static DeliveryQueue deliveryQueue(Optional<RedisConnection> redis, Clock clock) {
    return redis
        .<DeliveryQueue>map(
            shared ->
                shared.deliveryQueue(
                    clock,
                    nodeName(),
                    TriggersDefaults.DELIVERY_VISIBILITY_TIMEOUT,
                    TriggersDefaults.DELIVERY_QUEUE_CAPACITY))
        .orElseGet(
            () ->
                new InMemoryDeliveryQueue(
                    clock,
                    TriggersDefaults.DELIVERY_QUEUE_CAPACITY,
                    TriggersDefaults.DELIVERY_VISIBILITY_TIMEOUT));
  }

  @Provides
  @Singleton
  static OrganizationChanges organizationChanges(Optional<RedisConnection> redis) {
    return redis.map(RedisConnection::organizationChanges).orElseGet(LocalOrganizationChanges::new);
  }

  /**
   * Names this node among the delivery queue's consumers: host, process and a random part, since
   * two nodes may run on one host, even in one process. What a node took and never completed is
   * handed to another consumer after the visibility timeout, so the name need not survive a
   * restart.
   */
  private static String nodeName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
  }
}

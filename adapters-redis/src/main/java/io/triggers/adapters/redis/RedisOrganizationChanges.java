package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.triggers.core.model.FailureLog;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * News of organization changes shared by every node through Redis pub/sub: {@link #announce}
 * publishes the organization's id on the channel {@value #CHANNEL} and waits for Redis to
 * acknowledge it, by which time Redis has passed it to every subscribed node; a pub/sub connection
 * of its own hears what all nodes publish, this one included.
 *
 * <p>Pub/sub keeps nothing for a subscriber that is away. Lettuce subscribes again by itself after
 * a lost connection, and each such new subscription tells listeners that they may have missed
 * changes, as does a first subscription made late, when Redis could not be reached at the start.
 * Listeners run on Lettuce's I/O thread. An announcement that Redis does not acknowledge within the
 * command timeout is logged, not thrown: the change itself is already stored, and other nodes see
 * it when their own connection comes back or their cached entries expire.
 */
final class RedisOrganizationChanges implements OrganizationChanges {

  static final String CHANNEL = "triggers:organizations";

  private static final Logger LOG = LoggerFactory.getLogger(RedisOrganizationChanges.class);

  private final Supplier<RedisClusterCommands<String, String>> redis;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final FailureLog announceFailures =
      new FailureLog(
          System.getLogger(RedisOrganizationChanges.class.getName()),
          System.Logger.Level.WARNING,
          "Announcing organization changes",
          RedisConnection.FAILURE_LOG_INTERVAL);

  RedisOrganizationChanges(Supplier<RedisClusterCommands<String, String>> redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  @Override
  public void announce(OrganizationId organization) {
    try {
      redis.get().publish(CHANNEL, organization.toString());
    } catch (RedisException e) {
      announceFailures.record(e);
    }
  }

  @Override
  public void listen(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * What hears the channel, to be added to the pub/sub connection before it subscribes; {@code
   * late} if an earlier attempt to subscribe failed, so that even the first subscription tells the
   * listeners that they may have missed changes.
   */
  RedisPubSubListener<String, String> subscriber(boolean late) {
    return new Subscriber(late);
  }

  /** Runs on Lettuce's I/O thread, which a throwing listener must not disturb. */
  private final class Subscriber extends RedisPubSubAdapter<String, String> {

    private final AtomicBoolean subscribedBefore;

    Subscriber(boolean late) {
      this.subscribedBefore = new AtomicBoolean(late);
    }

    @Override
    public void message(String channel, String message) {
      if (!CHANNEL.equals(channel)) {
        return;
      }
      OrganizationId organization;
      try {
        organization = OrganizationId.parse(message);
      } catch (InvalidValueException e) {
        LOG.warn("Ignoring a message on {} that is not an organization id", CHANNEL);
        return;
      }
      for (Listener listener : listeners) {
        try {
          listener.changed(organization);
        } catch (RuntimeException e) {
          LOG.error("A listener to organization changes failed", e);
        }
      }
    }

    @Override
    public void subscribed(String channel, long count) {
      if (!CHANNEL.equals(channel) || !subscribedBefore.getAndSet(true)) {
        return;
      }
      LOG.info("Subscribed to {} again; dropping what may have changed meanwhile", CHANNEL);
      for (Listener listener : listeners) {
        try {
          listener.mayHaveMissedChanges();
        } catch (RuntimeException e) {
          LOG.error("A listener to organization changes failed", e);
        }
      }
    }
  }
}

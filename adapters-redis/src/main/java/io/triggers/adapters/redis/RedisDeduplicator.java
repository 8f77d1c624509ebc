package io.triggers.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.FailureLog;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Deduplicator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Dedup claims shared by all nodes: one Redis key per claim holding the candidate's event id, set
 * with {@code SET NX PX} so that of concurrent claims exactly one wins, and expiring after the time
 * to live, measured by Redis.
 *
 * <p>Keys are {@code triggers:dedup:{<organization>}:i:<dedup id>}, or {@code ...:h:<SHA-256>} for
 * a dedup id longer than {@value #LONGEST_VERBATIM} characters so that keys stay short; the hash
 * tag keeps an organization's claims in one Redis Cluster slot.
 *
 * <p>Thread-safe. {@link #claim} throws {@link RedisUnavailableException} when Redis cannot answer
 * within the command timeout, so that a caller can fall back. {@link #release} never throws: a
 * claim it cannot drop expires with its time to live, and meanwhile proves nothing, since the event
 * store stays the authority on duplicates.
 */
final class RedisDeduplicator implements Deduplicator {

  static final int LONGEST_VERBATIM = 64;

  static final LuaScript RELEASE = LuaScript.fromResource("release.lua");

  private final Supplier<RedisClusterAsyncCommands<String, String>> redis;
  private final long ttlMillis;
  private final FailureLog releaseFailures =
      new FailureLog(
          System.getLogger(RedisDeduplicator.class.getName()),
          System.Logger.Level.WARNING,
          "Releasing dedup claims",
          RedisConnection.FAILURE_LOG_INTERVAL);

  RedisDeduplicator(Supplier<RedisClusterAsyncCommands<String, String>> redis, Duration ttl) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least a millisecond");
    }
    this.redis = Objects.requireNonNull(redis, "redis");
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public Optional<EventId> claim(OrganizationId organization, DedupId dedupId, EventId candidate) {
    String key = key(organization, dedupId);
    String value = candidate.toString();
    try {
      // Twice at most: the holder seen refusing the SET may be gone (expired or released) by the
      // time of the GET, and then the id is free to claim again.
      for (int attempt = 0; attempt < 2; attempt++) {
        if (Await.result(redis.get().set(key, value, SetArgs.Builder.nx().px(ttlMillis))) != null) {
          return Optional.empty();
        }
        String holder = Await.result(redis.get().get(key));
        if (holder != null) {
          return holder.equals(value) ? Optional.empty() : Optional.of(parse(holder));
        }
      }
    } catch (RedisException e) {
      throw new RedisUnavailableException("Redis could not check a dedup id", e);
    }
    // Claimed and dropped by others twice in between: too contested to say who holds it, so the
    // event goes on to the store, which refuses it if it is a duplicate after all.
    return Optional.empty();
  }

  /**
   * Sends every {@code SET NX} before awaiting the first answer, then asks the holders of the ids
   * refused the same way: two round trips for a batch instead of one or two per claim.
   */
  @Override
  public List<Optional<EventId>> claimAll(OrganizationId organization, List<Claim> claims) {
    List<String> keys = new ArrayList<>(claims.size());
    List<String> values = new ArrayList<>(claims.size());
    List<RedisFuture<String>> sets = new ArrayList<>(claims.size());
    try {
      for (Claim claim : claims) {
        keys.add(key(organization, claim.dedupId()));
        values.add(claim.candidate().toString());
        sets.add(
            redis.get().set(keys.getLast(), values.getLast(), SetArgs.Builder.nx().px(ttlMillis)));
      }
      List<RedisFuture<String>> gets = new ArrayList<>(claims.size());
      for (int i = 0; i < claims.size(); i++) {
        gets.add(Await.result(sets.get(i)) != null ? null : redis.get().get(keys.get(i)));
      }
      List<Optional<EventId>> holders = new ArrayList<>(claims.size());
      for (int i = 0; i < claims.size(); i++) {
        String holder = gets.get(i) == null ? values.get(i) : Await.result(gets.get(i));
        if (holder == null) {
          // The holder that refused the SET is gone by now: claim this one on its own.
          holders.add(claim(organization, claims.get(i).dedupId(), claims.get(i).candidate()));
        } else {
          holders.add(holder.equals(values.get(i)) ? Optional.empty() : Optional.of(parse(holder)));
        }
      }
      return holders;
    } catch (RedisException e) {
      throw new RedisUnavailableException("Redis could not check dedup ids", e);
    }
  }

  @Override
  public void release(OrganizationId organization, DedupId dedupId, EventId candidate) {
    try {
      Await.result(
          RELEASE.runAsync(
              redis.get(),
              ScriptOutputType.INTEGER,
              new String[] {key(organization, dedupId)},
              candidate.toString()));
    } catch (RedisException e) {
      releaseFailures.record(e);
    }
  }

  static String key(OrganizationId organization, DedupId dedupId) {
    String id = dedupId.value();
    String prefix = "triggers:dedup:{" + organization + "}:";
    return id.length() <= LONGEST_VERBATIM ? prefix + "i:" + id : prefix + "h:" + sha256(id);
  }

  static EventId parse(String holder) {
    try {
      return EventId.parse(holder);
    } catch (InvalidValueException e) {
      throw new RedisUnavailableException("a dedup key holds something other than an event id", e);
    }
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

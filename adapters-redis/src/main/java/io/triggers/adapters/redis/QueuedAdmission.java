package io.triggers.adapters.redis;

import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission.Decision;
import io.triggers.core.port.out.Deduplicator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One admission's part of a {@code gcra.lua} run: its keys and arguments in the script's layout,
 * and its caller's stage, completed with the decision read from its part of the run's answer.
 */
final class QueuedAdmission {

  private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

  /** The organization's rate limit key, then a dedup key per claim. */
  private final String[] keys;

  /** The six figures of the decision, then a candidate per claim. */
  private final String[] args;

  private final int limit;
  private final CompletableFuture<Decision> answer = new CompletableFuture<>();

  QueuedAdmission(
      OrganizationId organization,
      Tier tier,
      int permits,
      List<Deduplicator.Claim> claims,
      Instant now) {
    this.limit = tier.eventsPerMinute();
    this.keys = new String[1 + claims.size()];
    this.args = new String[6 + claims.size()];
    keys[0] = RedisRateLimiter.key(organization);
    args[0] = Long.toString(now.getEpochSecond());
    args[1] = Integer.toString(now.getNano());
    args[2] = Long.toString(WINDOW_NANOS / limit);
    args[3] = Integer.toString(limit);
    args[4] = Integer.toString(permits);
    args[5] = Integer.toString(claims.size());
    for (int i = 0; i < claims.size(); i++) {
      keys[1 + i] = RedisDeduplicator.key(organization, claims.get(i).dedupId());
      args[6 + i] = claims.get(i).candidate().toString();
    }
  }

  /** The key that decides the Redis Cluster slot of all of this admission's keys. */
  String slotKey() {
    return keys[0];
  }

  int keyCount() {
    return keys.length;
  }

  int argCount() {
    return args.length;
  }

  /** Copies the keys and arguments into a run's, at the given positions. */
  void copyInto(String[] runKeys, int keyAt, String[] runArgs, int argAt) {
    System.arraycopy(keys, 0, runKeys, keyAt, keys.length);
    System.arraycopy(args, 0, runArgs, argAt, args.length);
  }

  CompletableFuture<Decision> answer() {
    return answer;
  }

  /**
   * Reads this admission's decision from the run's answer, starting at {@code at}: the verdict, the
   * rate limit's figures, then each claim's holder when allowed. Returns where the next admission's
   * part starts, after completing the caller's stage with the decision.
   */
  int complete(List<Object> runAnswer, int at) {
    boolean allowed = (Long) runAnswer.get(at) == 1;
    long amount = (Long) runAnswer.get(at + 1);
    Duration resetAfter = Duration.ofNanos((Long) runAnswer.get(at + 2));
    if (!allowed) {
      answer.complete(
          new Decision(
              new RateLimit.Denied(limit, Duration.ofNanos(amount), resetAfter), List.of()));
      return at + 3;
    }
    int claims = keys.length - 1;
    List<Optional<EventId>> holders = new ArrayList<>(claims);
    for (int i = 0; i < claims; i++) {
      String holder = (String) runAnswer.get(at + 3 + i);
      holders.add(
          holder.equals(args[6 + i])
              ? Optional.empty()
              : Optional.of(RedisDeduplicator.parse(holder)));
    }
    answer.complete(new Decision(new RateLimit.Allowed(limit, amount, resetAfter), holders));
    return at + 3 + claims;
  }

  void fail(RedisUnavailableException failure) {
    answer.completeExceptionally(failure);
  }
}

package io.triggers.adapters.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Tier;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The rate limit of {@link RedisRateLimiter} and the dedup claims of {@link RedisDeduplicator},
 * with the same keys and answers, decided by one run of their script: one round trip a request
 * instead of one for the limit and one or two for the claims, and for the requests that arrive
 * together one run for all of them ({@link AdmissionBatcher}). The organization's keys share one
 * hash tag, so the script works on Redis Cluster too.
 *
 * <p>Thread-safe. Throws {@link RedisUnavailableException} when Redis cannot answer within the
 * command timeout, so that a caller can fall back.
 */
final class RedisAdmission implements Admission {

  private final Clock clock;
  private final AdmissionBatcher batcher;

  RedisAdmission(
      Supplier<RedisClusterAsyncCommands<String, String>> redis, Clock clock, Duration ttl) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least a millisecond");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.batcher =
        new AdmissionBatcher(
            AdmissionBatcher.Script.on(redis),
            Long.toString(ttl.toMillis()),
            new ClusterMode(redis));
  }

  @Override
  public Decision admit(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    try {
      return admitAsync(organization, tier, permits, claims).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : e;
    }
  }

  /**
   * Sends the admission with the next batch without waiting; the stage completes on Lettuce's event
   * loop, or fails with a {@link RedisUnavailableException}.
   */
  @Override
  public CompletionStage<Decision> admitAsync(
      OrganizationId organization, Tier tier, int permits, List<Deduplicator.Claim> claims) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    QueuedAdmission admission =
        new QueuedAdmission(organization, tier, permits, claims, clock.instant());
    batcher.submit(admission);
    return admission.answer();
  }
}

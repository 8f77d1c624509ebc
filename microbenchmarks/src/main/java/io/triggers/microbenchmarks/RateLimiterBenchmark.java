package io.triggers.microbenchmarks;

import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-process rate limit decision of single-node mode (and of a cluster node while Redis is
 * away): one event for an enterprise organization, on the clock the server runs with.
 *
 * <p>Across many organizations, each one's minute of allowance lasts far longer than a run, so
 * nearly every decision is an allowance; one organization shared by every thread is the hot-tenant
 * case, where after the first minute's allowance nearly every decision is a denial. JMH reports the
 * denials in a {@code :denied} row beside each result, so a run shows which path it measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimiterBenchmark {

  static final int ORGANIZATIONS = 10_000;

  private LocalRateLimiter limiter;
  private OrganizationId[] organizations;

  @Setup
  public void setUp() {
    Clock clock = Clock.tickMillis(ZoneOffset.UTC);
    limiter = new LocalRateLimiter(clock);
    SecureIdGenerator ids = new SecureIdGenerator(clock);
    organizations =
        Stream.generate(ids::newOrganizationId).limit(ORGANIZATIONS).toArray(OrganizationId[]::new);
  }

  @Benchmark
  public RateLimit manyOrganizations(RoundRobin walk, Denials denials) {
    return denials.count(acquire(organizations[walk.next(ORGANIZATIONS)]));
  }

  @Benchmark
  @Threads(Threads.MAX)
  public RateLimit manyOrganizationsAllThreads(RoundRobin walk, Denials denials) {
    return denials.count(acquire(organizations[walk.next(ORGANIZATIONS)]));
  }

  @Benchmark
  @Threads(Threads.MAX)
  public RateLimit oneOrganizationAllThreads(Denials denials) {
    return denials.count(acquire(organizations[0]));
  }

  private RateLimit acquire(OrganizationId organization) {
    return limiter.acquire(organization, Tier.ENTERPRISE, 1);
  }

  /** Counts the denials each thread saw; JMH reports the public field as a result of its own. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Denials {

    public long denied;

    RateLimit count(RateLimit decision) {
      if (decision instanceof RateLimit.Denied) {
        denied++;
      }
      return decision;
    }
  }
}

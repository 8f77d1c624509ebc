package io.triggers.microbenchmarks;

import io.triggers.core.memory.CachingOrganizations;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.memory.LocalOrganizationChanges;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.model.ApiKey;
import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.service.AuthenticateApiKeyService;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The API key check every organization request starts with: the key from its header, its SHA-256,
 * and the lookup in the key cache, which holds every key here as it does once a server is warm. The
 * cache is set up as the server sets it up; behind it, the in-memory store stands in for
 * PostgreSQL, which a warm cache does not ask.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthenticationBenchmark {

  /** As many organizations as bench/ingest.sh creates. */
  static final int ORGANIZATIONS = 64;

  private AuthenticateApiKey authenticateApiKey;
  private String[] presentedKeys;

  @Setup
  public void setUp() {
    Clock clock = Clock.tickMillis(ZoneOffset.UTC);
    SecureIdGenerator ids = new SecureIdGenerator(clock);
    CachingOrganizations organizations =
        new CachingOrganizations(
            new InMemoryOrganizations(),
            new LocalOrganizationChanges(),
            clock,
            Duration.ofMinutes(1),
            100_000);
    authenticateApiKey = new AuthenticateApiKeyService(organizations);
    presentedKeys = new String[ORGANIZATIONS];
    for (int i = 0; i < ORGANIZATIONS; i++) {
      ApiKey key = ids.newApiKey();
      organizations.create(
          new Organization(
              ids.newOrganizationId(),
              new OrganizationName("Organization " + i),
              Tier.ENTERPRISE,
              clock.instant()),
          key.hash());
      presentedKeys[i] = key.value();
      authenticateApiKey.authenticate(key).orElseThrow();
    }
  }

  /** The digest alone, to tell its share of the whole check. */
  @Benchmark
  public ApiKeyHash hashApiKey(RoundRobin walk) {
    return new ApiKey(presentedKeys[walk.next(ORGANIZATIONS)]).hash();
  }

  @Benchmark
  public Optional<Organization> authenticateCachedKey(RoundRobin walk) {
    return authenticateApiKey.authenticate(new ApiKey(presentedKeys[walk.next(ORGANIZATIONS)]));
  }
}

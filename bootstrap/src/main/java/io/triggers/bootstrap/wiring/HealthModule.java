package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.adapters.postgres.PostgresDatabase;
import io.triggers.adapters.postgres.embedded.EmbeddedPostgresServer;
import io.triggers.adapters.redis.RedisConnection;
import io.triggers.core.port.out.HealthCheck;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The health checks behind readiness and liveness: one for each service the server depends on. */
@Module
interface HealthModule {

  /**
   * Redis reports itself degraded, never down, so a node stays ready while Redis is away; the
   * embedded PostgreSQL's process is down while it is being restarted, and fails liveness once that
   * has lasted too long.
   */
  @Provides
  static List<HealthCheck> healthChecks(
      PostgresDatabase database,
      Optional<EmbeddedPostgresServer> embedded,
      Optional<RedisConnection> redis) {
    return Stream.of(
            Stream.of(database.healthCheck()),
            embedded.map(EmbeddedPostgresServer::healthCheck).stream(),
            redis.map(RedisConnection::healthCheck).stream())
        .flatMap(checks -> checks)
        .toList();
  }
}

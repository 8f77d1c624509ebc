package io.triggers.adapters.postgres;

import io.triggers.core.model.Health;
import io.triggers.core.port.out.HealthCheck;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;

/**
 * Ready when PostgreSQL is not known to be down or short of resources, and answers a trivial query
 * within a second.
 */
final class PostgresHealthCheck implements HealthCheck {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final Jdbi jdbi;
  private final PostgresAvailability availability;

  PostgresHealthCheck(Jdbi jdbi, PostgresAvailability availability) {
    this.jdbi = jdbi;
    this.availability = availability;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public Health check() {
    Optional<String> problem = availability.problem();
    if (problem.isPresent()) {
      return new Health(Health.Status.DOWN, problem.get());
    }
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    // On its own thread, so that waiting for a pooled connection is bounded too.
    Thread.ofVirtual()
        .name("triggers-postgres-health")
        .start(
            () -> {
              try {
                answer.complete(
                    jdbi.withHandle(
                        handle ->
                            handle
                                .createQuery("SELECT 1")
                                .setQueryTimeout((int) TIMEOUT.toSeconds())
                                .mapTo(Integer.class)
                                .one()));
              } catch (RuntimeException e) {
                answer.completeExceptionally(e);
              }
            });
    try {
      answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return Health.up();
    } catch (TimeoutException e) {
      return new Health(Health.Status.DOWN, "no answer within " + TIMEOUT.toMillis() + " ms");
    } catch (ExecutionException e) {
      return new Health(
          Health.Status.DOWN,
          availability
              .problem()
              .orElse(SqlFailures.isUnavailable(e.getCause()) ? "unreachable" : "query failed"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Health(Health.Status.DOWN, "interrupted");
    }
  }
}
